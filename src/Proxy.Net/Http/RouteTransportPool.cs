using System.Collections.Concurrent;
using System.Net;
using ProxyNet.Resolution;
using ProxyNet.Tls;
using ProxyNet.Tunnel;

namespace ProxyNet.Http;

/// <summary>
/// One <see cref="SocketsHttpHandler"/> (one connection pool) per route: DIRECT, or one per proxy and credentials.
/// It outlives the handlers <c>IHttpClientFactory</c> rotates, and a configuration reload that keeps a proxy
/// keeps its warm connections, because routes are compared by value. Bounded: a route idle for
/// <see cref="IdleTimeout"/>, or the least recently used idle routes beyond <see cref="Capacity"/>, are disposed
/// (their connections closed), so rotating credentials or many per-request proxies cannot grow memory or sockets.
/// </summary>
internal sealed class RouteTransportPool : IDisposable
{
    private readonly ConcurrentDictionary<RouteKey, Route> _routes = new();
    private readonly Func<ProxyEndpoint?, TransportSettings, bool, HttpMessageHandler> _factory;
    private readonly TransportSettings _default;
    private long _nextSweep;

    public RouteTransportPool()
        : this(TransportSettings.Default)
    {
    }

    /// <summary>A pool whose routes use <paramref name="settings"/> unless a client brings its own.</summary>
    public RouteTransportPool(TransportSettings settings)
        : this(CreateDefaultTransport, settings)
    {
    }

    public RouteTransportPool(Func<ProxyEndpoint?, TransportSettings, bool, HttpMessageHandler> factory, TransportSettings? settings = null)
    {
        _factory = factory;
        _default = settings ?? TransportSettings.Default;
    }

    /// <summary>The most routes kept while idle; beyond it the least recently used idle ones are disposed.</summary>
    public int Capacity { get; init; } = 128;

    /// <summary>A route unused for this long is disposed when the pool next sweeps.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The settings used when neither the client nor the global options set TLS trust.</summary>
    public TransportSettings DefaultSettings => _default;

    /// <summary>Routes alive now (for tests and the soak benchmark).</summary>
    public int Count => _routes.Count;

    /// <summary>
    /// The route's handler, held until <see cref="Route.Release"/>: a sweep never disposes a handler under a send that
    /// is starting. A response being read keeps its connection (SocketsHttpHandler closes active connections only when
    /// they are returned).
    /// </summary>
    public Route Acquire(ProxyEndpoint? proxy, TransportSettings? settings) => Acquire(proxy, settings, tunnel: false);

    /// <summary>As <see cref="Acquire(ProxyEndpoint?, TransportSettings?)"/>; <paramref name="tunnel"/>: reach every origin through a CONNECT tunnel (h2c, <c>AlwaysTunnel</c>).</summary>
    public Route Acquire(ProxyEndpoint? proxy, TransportSettings? settings, bool tunnel) =>
        Acquire(new RouteKey(settings ?? _default, proxy, tunnel && proxy is { Scheme: "http" }));

    private Route Acquire(RouteKey key)
    {
        while (true)
        {
            bool missed = !_routes.TryGetValue(key, out var route);
            if (missed)
            {
                route = _routes.GetOrAdd(key, static (key, factory) => new Route(new HttpMessageInvoker(factory(key.Proxy, key.Settings, key.Tunnel), disposeHandler: true)), _factory);
            }

            if (route!.TryAcquire())
            {
                // Swept only once the new route is held: over capacity with every other route busy, a sweep before the
                // acquire would retire the route just made, and the next turn would make and retire it again forever.
                if (missed)
                {
                    SweepIfDue();
                }

                return route;
            }

            // Swept between the lookup and the acquire: it is gone from the table, make a new one.
            _routes.TryRemove(new KeyValuePair<RouteKey, Route>(key, route));
        }
    }

    /// <summary>Runs on a miss only (a new route), at most once per second unless the pool is over capacity.</summary>
    private void SweepIfDue()
    {
        long now = Environment.TickCount64;
        long due = Interlocked.Read(ref _nextSweep);
        if ((_routes.Count <= Capacity && now < due) || Interlocked.CompareExchange(ref _nextSweep, now + 1000, due) != due)
        {
            return;
        }

        long idleBefore = now - (long)IdleTimeout.TotalMilliseconds;
        var idle = new List<KeyValuePair<RouteKey, Route>>();
        foreach (var pair in _routes)
        {
            if (pair.Value.IsIdle)
            {
                idle.Add(pair);
            }
        }

        int excess = _routes.Count - Capacity;
        idle.Sort(static (a, b) => a.Value.LastUsed.CompareTo(b.Value.LastUsed));
        foreach (var (key, route) in idle)
        {
            if ((excess > 0 || route.LastUsed < idleBefore) && route.TryRetire())
            {
                _routes.TryRemove(new KeyValuePair<RouteKey, Route>(key, route));
                route.Invoker.Dispose();
                excess--;
            }
        }
    }

    /// <summary>Settings for the raw tunnels (FTP, HTTPS proxies) of a route: the same timeouts and proxy trust as its HTTP traffic.</summary>
    public static ProxyTunnelOptions TunnelOptions(ProxyEndpoint? proxy, TransportSettings settings) => new()
    {
        Credentials = proxy?.Credentials,
        ProxyTrustedCertificates = settings.ProxyRoots,
        ProxyClientCertificates = settings.ProxyClientCertificates,
#pragma warning disable CA5359 // DangerousAcceptAnyProxyCertificate (SslRejectUnauthorized: false) asked for by name and logged.
        ProxyCertificateValidation = settings.DangerousAcceptAnyProxyCertificate ? static (_, _, _, _) => true : null,
#pragma warning restore CA5359
    };

    public void Dispose()
    {
        foreach (var route in _routes.Values)
        {
            route.Invoker.Dispose();
        }

        _routes.Clear();
    }

    internal static HttpMessageHandler CreateDefaultTransport(ProxyEndpoint? proxy, TransportSettings settings, bool tunnel)
    {
        var handler = new SocketsHttpHandler
        {
            // Redirects are followed by ProxyNetHandler, which decides the route again for every hop.
            // UseProxy stays false unless a proxy is set below: a DIRECT route never follows the process's HTTP_PROXY.
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(30),
            UseProxy = false,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = settings.OriginValidation();
        if (proxy is null)
        {
            return handler;
        }

        if (proxy.Scheme == "https" || tunnel)
        {
            // TLS to the proxy with proxy trust, CONNECT inside it, then origin TLS with origin trust: the two
            // trusts stay apart. http:// origins are tunnelled too (the proxy must allow CONNECT to their port).
            // An http proxy gets the same when the route asks for a tunnel: h2c (gRPC without TLS), which a proxy
            // cannot forward in absolute form, and clients with AlwaysTunnel.
            var tunnelOptions = TunnelOptions(proxy, settings);
            handler.ConnectCallback = async (context, cancellationToken) =>
                await ProxyTunnel.ConnectAsync(proxy, context.DnsEndPoint.Host, context.DnsEndPoint.Port, tunnelOptions, cancellationToken).ConfigureAwait(false);
            return handler;
        }

        handler.UseProxy = true;
        handler.Proxy = new WebProxy(TransportUri(proxy)) { Credentials = ProxyCredentials(proxy) };
        handler.DefaultProxyCredentials = null;
        return handler;
    }

    /// <summary>
    /// The proxy login of SocketsHttpHandler (plain-HTTP requests): the user and password, or the current user with
    /// <c>UseDefaultCredentials</c>, offered only for the allowed schemes (SocketsHttpHandler picks the strongest the
    /// proxy offers among them).
    /// </summary>
    internal static ICredentials? ProxyCredentials(ProxyEndpoint proxy)
    {
        var login = proxy.Login;
        NetworkCredential? credential = proxy.Credentials ?? (login.UseDefaultCredentials ? CredentialCache.DefaultNetworkCredentials : null);
        if (credential is null || login == ProxyLogin.Default)
        {
            return credential;
        }

        var cache = new CredentialCache();
        foreach (string scheme in login.SchemeNames())
        {
            // The current user has no password to send: Negotiate and NTLM only.
            if (proxy.Credentials is not null || scheme is "Negotiate" or "NTLM")
            {
                cache.Add(proxy.Uri, scheme, credential);
            }
        }

        return cache;
    }

    /// <summary>
    /// A route: TLS settings and proxy, compared by value (equal settings from a reload share warm connections)
    /// with hashes computed once, so the per-request lookup hashes no string.
    /// </summary>
    private readonly struct RouteKey(TransportSettings settings, ProxyEndpoint? proxy, bool tunnel) : IEquatable<RouteKey>
    {
        public TransportSettings Settings { get; } = settings;

        public ProxyEndpoint? Proxy { get; } = proxy;

        /// <summary>Every origin through CONNECT (an http proxy that would otherwise get absolute-form requests).</summary>
        public bool Tunnel { get; } = tunnel;

        public bool Equals(RouteKey other) =>
            Tunnel == other.Tunnel
            && Equals(Proxy, other.Proxy)
            && (ReferenceEquals(Settings, other.Settings) || Settings.Fingerprint == other.Settings.Fingerprint);

        public override bool Equals(object? obj) => obj is RouteKey other && Equals(other);

        public override int GetHashCode() => HashCode.Combine(Settings.FingerprintHash, Proxy, Tunnel);
    }

    /// <summary>
    /// A route's handler with a count of the sends running on it; -1 once retired. Lock-free: the per-request cost
    /// is two interlocked operations.
    /// </summary>
    internal sealed class Route(HttpMessageInvoker invoker)
    {
        private int _active;
        private long _lastUsed = Environment.TickCount64;

        public HttpMessageInvoker Invoker { get; } = invoker;

        public long LastUsed => Volatile.Read(ref _lastUsed);

        public bool IsIdle => Volatile.Read(ref _active) == 0;

        public bool TryAcquire()
        {
            int active = Volatile.Read(ref _active);
            while (active >= 0)
            {
                int seen = Interlocked.CompareExchange(ref _active, active + 1, active);
                if (seen == active)
                {
                    return true;
                }

                active = seen;
            }

            return false;
        }

        public void Release()
        {
            Volatile.Write(ref _lastUsed, Environment.TickCount64);
            Interlocked.Decrement(ref _active);
        }

        public bool TryRetire() => Interlocked.CompareExchange(ref _active, -1, 0) == 0;
    }

    /// <summary>SocketsHttpHandler knows socks5 (always remote DNS), not socks5h.</summary>
    internal static Uri TransportUri(ProxyEndpoint proxy) =>
        proxy.Scheme == "socks5h" ? new UriBuilder(proxy.Uri) { Scheme = "socks5" }.Uri : proxy.Uri;
}
