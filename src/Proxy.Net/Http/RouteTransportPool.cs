using System.Collections.Concurrent;
using System.Net;
using ProxyNet.Resolution;
using ProxyNet.Tls;

namespace ProxyNet.Http;

/// <summary>
/// One <see cref="SocketsHttpHandler"/> (one connection pool) per route: DIRECT, or one per proxy and credentials.
/// It outlives the handlers <c>IHttpClientFactory</c> rotates, and a configuration reload that keeps a proxy
/// keeps its warm connections, because routes are compared by value.
/// </summary>
internal sealed class RouteTransportPool : IDisposable
{
    private readonly ConcurrentDictionary<ProxyEndpoint, HttpMessageInvoker> _proxied = new();
    private readonly Func<ProxyEndpoint?, HttpMessageHandler> _factory;
    private readonly HttpMessageInvoker _direct;
    private readonly TransportSettings _settings;

    public RouteTransportPool()
        : this(TransportSettings.Default)
    {
    }

    public RouteTransportPool(TransportSettings settings)
        : this(proxy => CreateDefaultTransport(proxy, settings), settings)
    {
    }

    public RouteTransportPool(Func<ProxyEndpoint?, HttpMessageHandler> factory, TransportSettings? settings = null)
    {
        _factory = factory;
        _settings = settings ?? TransportSettings.Default;
        _direct = new HttpMessageInvoker(factory(null), disposeHandler: true);
    }

    public HttpMessageInvoker Get(ProxyEndpoint? proxy) =>
        proxy is null ? _direct : _proxied.GetOrAdd(proxy, static (p, factory) => new HttpMessageInvoker(factory(p), disposeHandler: true), _factory);

    /// <summary>Settings for the raw tunnels (FTP) of a route: the same timeouts and proxy trust as its HTTP traffic.</summary>
    public Tunnel.ProxyTunnelOptions TunnelOptions(ProxyEndpoint? proxy) => new()
    {
        Credentials = proxy?.Credentials,
        ProxyTrustedCertificates = _settings.ProxyRoots,
    };

    public void Dispose()
    {
        _direct.Dispose();
        foreach (var invoker in _proxied.Values)
        {
            invoker.Dispose();
        }

        _proxied.Clear();
    }

    internal static SocketsHttpHandler CreateDefaultTransport(ProxyEndpoint? proxy, TransportSettings settings)
    {
        var handler = new SocketsHttpHandler
        {
            // Redirects are followed by ProxyNetHandler, which decides the route again for every hop.
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(30),
            UseProxy = proxy is not null,
        };
        if (settings.OriginValidation() is { } validation)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = validation;
        }

        if (proxy is not null)
        {
            handler.Proxy = new WebProxy(TransportUri(proxy)) { Credentials = proxy.Credentials };
            handler.DefaultProxyCredentials = null;
        }

        return handler;
    }

    /// <summary>SocketsHttpHandler knows socks5 (always remote DNS), not socks5h.</summary>
    internal static Uri TransportUri(ProxyEndpoint proxy) =>
        proxy.Scheme == "socks5h" ? new UriBuilder(proxy.Uri) { Scheme = "socks5" }.Uri : proxy.Uri;
}
