using System.Net;
using ProxyNet.Resolution;

namespace ProxyNet.Http;

/// <summary>
/// An <see cref="IWebProxy"/> over a <see cref="ProxyResolver"/>, for code that takes a proxy object:
/// <c>new SocketsHttpHandler { Proxy = ProxyNetWebProxy.FromEnvironment() }</c>.
/// </summary>
/// <remarks>
/// <see cref="SocketsHttpHandler"/> treats an exception thrown by a proxy as "no proxy" and would go DIRECT,
/// so a configuration error is answered with an address in the reserved <c>.invalid</c> domain that can never
/// connect. Prefer <see cref="ProxyNetHandler"/>, which throws <see cref="ProxyConfigurationException"/> instead.
/// </remarks>
public sealed class ProxyNetWebProxy : IWebProxy
{
    /// <summary>Where requests go when the configuration is broken: a name that never resolves.</summary>
    internal static Uri ConfigurationErrorAddress { get; } = new("http://proxy-configuration-error.invalid:9/");

    private readonly ProxyResolver _resolver;

    /// <summary>Creates the proxy over <paramref name="resolver"/>.</summary>
    public ProxyNetWebProxy(ProxyResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        _resolver = resolver;
        Credentials = new ResolverCredentials(resolver);
    }

    /// <summary>A proxy over the process environment.</summary>
    public static ProxyNetWebProxy FromEnvironment() => new(ProxyResolver.FromEnvironment());

    /// <summary>
    /// Makes a proxy over the resolver the process-wide <see cref="HttpClient.DefaultProxy"/>, for code that builds its own
    /// <see cref="HttpClient"/> or <see cref="HttpClientHandler"/>: the same resolution, <c>NO_PROXY</c> rules and
    /// proxy credentials. Disposing the handle takes this install back.
    /// </summary>
    /// <param name="resolver">The resolver to install; the process environment as it is now when omitted.</param>
    /// <returns>
    /// A handle that removes this install when disposed (once; later calls do nothing): the default becomes the newest
    /// install still in place, or the <see cref="HttpClient.DefaultProxy"/> from before the first install when none is left.
    /// </returns>
    /// <remarks>
    /// A handler reads the default when it sends its first request, so handlers already in use keep the proxy they
    /// had. This path has no per-client choice, no separate trust for an HTTPS proxy and no FTP: a client that needs
    /// them uses <c>AddProxySupport()</c>. Handles may be disposed in any order, from any thread. A default that other
    /// code set after the newest install is left in place when a handle is disposed.
    /// </remarks>
    /// <example><code>using IDisposable restore = ProxyNetWebProxy.InstallAsDefault();</code></example>
    public static IDisposable InstallAsDefault(ProxyResolver? resolver = null)
    {
        return DefaultProxyStack.Push(new ProxyNetWebProxy(resolver ?? ProxyResolver.FromEnvironment()));
    }

    /// <summary>Credentials of the configured proxies, looked up by proxy address. Setting it replaces them.</summary>
    public ICredentials? Credentials { get; set; }

    /// <inheritdoc />
    public Uri? GetProxy(Uri destination)
    {
        var decision = _resolver.Resolve(destination);
        return decision.IsError ? ConfigurationErrorAddress : decision.Proxy is { } proxy ? RouteTransportPool.TransportUri(proxy) : null;
    }

    /// <inheritdoc />
    public bool IsBypassed(Uri host) => _resolver.Resolve(host).IsDirect;

    private sealed class ResolverCredentials(ProxyResolver resolver) : ICredentials
    {
        public NetworkCredential? GetCredential(Uri uri, string authType)
        {
            foreach (var decision in resolver.Settings.ProxyDecisions)
            {
                if (decision.Proxy is { Credentials: { } credentials } proxy
                    && string.Equals(proxy.Host, uri.IdnHost, StringComparison.OrdinalIgnoreCase)
                    && proxy.Port == uri.Port)
                {
                    return credentials;
                }
            }

            return null;
        }
    }
}
