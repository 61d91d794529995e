using System.Collections.Concurrent;
using System.Net;
using ProxyNet.Resolution;
using ProxyNet.Tls;
using ProxyNet.Tunnel;

namespace ProxyNet.Http;

/// <summary>
/// One <see cref="SocketsHttpHandler"/> (one connection pool) per route: DIRECT, or one per proxy and credentials.
/// It outlives the handlers <c>IHttpClientFactory</c> rotates, and a configuration reload that keeps a proxy
/// keeps its warm connections, because routes are compared by value.
/// </summary>
internal sealed class RouteTransportPool : IDisposable
{
    private readonly ConcurrentDictionary<RouteKey, HttpMessageInvoker> _routes = new();
    private readonly Func<ProxyEndpoint?, TransportSettings, HttpMessageHandler> _factory;
    private readonly TransportSettings _default;

    public RouteTransportPool()
        : this(TransportSettings.Default)
    {
    }

    /// <summary>A pool whose routes use <paramref name="settings"/> unless a client brings its own.</summary>
    public RouteTransportPool(TransportSettings settings)
        : this(CreateDefaultTransport, settings)
    {
    }

    public RouteTransportPool(Func<ProxyEndpoint?, TransportSettings, HttpMessageHandler> factory, TransportSettings? settings = null)
    {
        _factory = factory;
        _default = settings ?? TransportSettings.Default;
    }

    /// <summary>The settings used when neither the client nor the global options set TLS trust.</summary>
    public TransportSettings DefaultSettings => _default;

    public HttpMessageInvoker Get(ProxyEndpoint? proxy, TransportSettings? settings = null)
    {
        settings ??= _default;
        return _routes.GetOrAdd(
            new RouteKey(settings, proxy),
            static (key, factory) => new HttpMessageInvoker(factory(key.Proxy, key.Settings), disposeHandler: true),
            _factory);
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
        foreach (var invoker in _routes.Values)
        {
            invoker.Dispose();
        }

        _routes.Clear();
    }

    internal static HttpMessageHandler CreateDefaultTransport(ProxyEndpoint? proxy, TransportSettings settings)
    {
        var handler = new SocketsHttpHandler
        {
            // Redirects are followed by ProxyNetHandler, which decides the route again for every hop.
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

        if (proxy.Scheme == "https")
        {
            // TLS to the proxy with proxy trust, CONNECT inside it, then origin TLS with origin trust: the two
            // trusts stay apart. http:// origins are tunnelled too (the proxy must allow CONNECT to their port).
            var tunnel = TunnelOptions(proxy, settings);
            handler.ConnectCallback = async (context, cancellationToken) =>
                await ProxyTunnel.ConnectAsync(proxy, context.DnsEndPoint.Host, context.DnsEndPoint.Port, tunnel, cancellationToken).ConfigureAwait(false);
            return handler;
        }

        handler.UseProxy = true;
        handler.Proxy = new WebProxy(TransportUri(proxy)) { Credentials = proxy.Credentials };
        handler.DefaultProxyCredentials = null;
        return handler;
    }

    /// <summary>
    /// A route: TLS settings and proxy, compared by value (equal settings from a reload share warm connections)
    /// with hashes computed once, so the per-request lookup hashes no string.
    /// </summary>
    private readonly struct RouteKey(TransportSettings settings, ProxyEndpoint? proxy) : IEquatable<RouteKey>
    {
        public TransportSettings Settings { get; } = settings;

        public ProxyEndpoint? Proxy { get; } = proxy;

        public bool Equals(RouteKey other) =>
            Equals(Proxy, other.Proxy)
            && (ReferenceEquals(Settings, other.Settings) || Settings.Fingerprint == other.Settings.Fingerprint);

        public override bool Equals(object? obj) => obj is RouteKey other && Equals(other);

        public override int GetHashCode() => HashCode.Combine(Settings.FingerprintHash, Proxy);
    }

    /// <summary>SocketsHttpHandler knows socks5 (always remote DNS), not socks5h.</summary>
    internal static Uri TransportUri(ProxyEndpoint proxy) =>
        proxy.Scheme == "socks5h" ? new UriBuilder(proxy.Uri) { Scheme = "socks5" }.Uri : proxy.Uri;
}
