using Elastic.Transport;

namespace ProxyNet.Elastic;

/// <summary>
/// An Elastic.Transport request invoker that sends every request on the handler chain of a named client from the
/// application's <see cref="IHttpMessageHandlerFactory"/>, so <c>ElasticsearchClient</c> (and any Elastic.Transport
/// client) is routed exactly as that named client is: the global proxy (<c>AddProxySupport()</c>), DIRECT
/// (<c>BypassGlobalProxy()</c>) or its own proxy (<c>UseProxy(url)</c>), with the same <c>NO_PROXY</c> rules, proxy
/// credentials, trust, failover and egress policy. The route is decided per request URL, so each node of a
/// multi-node pool is routed on its own (one in <c>NO_PROXY</c> goes DIRECT, the others through the proxy).
/// </summary>
/// <example>
/// <code>
/// services.AddHttpClient("es").AddProxySupport();
/// // later, with the application's IHttpMessageHandlerFactory:
/// var settings = new ElasticsearchClientSettings(pool, new ProxyNetElasticRequestInvoker(handlers, "es"));
/// var client = new ElasticsearchClient(settings);
/// </code>
/// </example>
/// <remarks>
/// The request and response mapping is Elastic.Transport's own <see cref="HttpRequestInvoker"/>; only the handler it
/// sends on is the named client's chain. Elastic's own proxy (<c>settings.Proxy(...)</c>) and TLS settings
/// (<c>CertificateFingerprint</c>, <c>ServerCertificateValidationCallback</c>, <c>ClientCertificates</c>) belong to
/// the handler it no longer builds, so setting them is refused: configure the named client (its proxy, its
/// <c>Tls</c> options) instead. With <c>EnableHttpCompression</c> (the client's default) request bodies are
/// gzipped by Elastic and gzip responses are asked for and decompressed here, as Elastic's own handler does.
/// </remarks>
public sealed class ProxyNetElasticRequestInvoker : IRequestInvoker
{
    private readonly HttpRequestInvoker _invoker;

    /// <summary>Creates an invoker that sends on the chain of the client named <paramref name="clientName"/>.</summary>
    /// <param name="handlerFactory">The application's <see cref="IHttpMessageHandlerFactory"/>.</param>
    /// <param name="clientName">A client registered with <c>AddProxySupport()</c>, <c>BypassGlobalProxy()</c> or <c>UseProxy(url)</c>.</param>
    public ProxyNetElasticRequestInvoker(IHttpMessageHandlerFactory handlerFactory, string clientName)
    {
        ArgumentNullException.ThrowIfNull(handlerFactory);
        ArgumentNullException.ThrowIfNull(clientName);
        ClientName = clientName;
        // Elastic.Transport keeps one handler per configuration and rotates it (DnsRefreshTimeout); each rotation
        // takes the named chain from the factory again, so the factory's own rotation applies too.
        _invoker = new HttpRequestInvoker((unused, configuration) =>
        {
            unused.Dispose();
            Refuse(configuration);
            return new ElasticHandler(handlerFactory.CreateHandler(clientName), configuration.HttpCompression);
        });
    }

    /// <summary>The name of the client whose handler chain every request is sent on.</summary>
    public string ClientName { get; }

    /// <inheritdoc />
    public ResponseFactory ResponseFactory => _invoker.ResponseFactory;

    /// <inheritdoc />
    public Task<TResponse> RequestAsync<TResponse>(Endpoint endpoint, BoundConfiguration boundConfiguration, PostData? postData, CancellationToken cancellationToken)
        where TResponse : TransportResponse, new() =>
        _invoker.RequestAsync<TResponse>(endpoint, boundConfiguration, postData, cancellationToken);

    /// <inheritdoc />
    public TResponse Request<TResponse>(Endpoint endpoint, BoundConfiguration boundConfiguration, PostData? postData)
        where TResponse : TransportResponse, new() =>
        _invoker.Request<TResponse>(endpoint, boundConfiguration, postData);

    /// <summary>Ends Elastic's handler cache; the named chains stay with the factory.</summary>
    public void Dispose() => _invoker.Dispose();

    private void Refuse(BoundConfiguration configuration)
    {
        string? setting =
            !string.IsNullOrEmpty(configuration.ProxyAddress) ? "Proxy(...)"
            : !string.IsNullOrEmpty(configuration.ConnectionSettings.CertificateFingerprint) ? "CertificateFingerprint(...)"
            : configuration.ConnectionSettings.ServerCertificateValidationCallback is not null ? "ServerCertificateValidationCallback(...)"
            : configuration.ClientCertificates is { Count: > 0 } ? "ClientCertificates(...)"
            : null;
        if (setting is not null)
        {
            throw new InvalidOperationException(
                $"The Elasticsearch settings set {setting}, which Elastic.Transport applies only to a handler it builds itself: " +
                $"configure the proxy and TLS of HttpClient '{ClientName}' instead (AddProxySupport(), BypassGlobalProxy(), UseProxy(url), its Tls options).");
        }
    }
}
