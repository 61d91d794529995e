using Google.Apis.Auth.OAuth2;
using Google.Apis.Http;

namespace ProxyNet.Google;

/// <summary>
/// A Google API client factory (<see cref="global::Google.Apis.Http.IHttpClientFactory"/>) that sends on the handler chain of a
/// named client from the application's <see cref="System.Net.Http.IHttpClientFactory"/>, so a Google Cloud client
/// (<c>StorageClientBuilder</c>, <c>BigQueryClientBuilder</c>, any <c>Google.Apis</c> service) and the token requests
/// of its credential are routed exactly as that named client is: the global proxy (<c>AddProxySupport()</c>), DIRECT
/// (<c>BypassGlobalProxy()</c>) or its own proxy (<c>UseProxy(url)</c>), with the same <c>NO_PROXY</c> rules, proxy
/// credentials, trust, failover and egress policy.
/// </summary>
/// <example>
/// <code>
/// services.AddHttpClient("gcs").AddProxySupport();
/// // later, with the application's IHttpClientFactory:
/// var gcs = new ProxyNetGoogleHttpClientFactory(httpClientFactory, "gcs");
/// var storage = new StorageClientBuilder { HttpClientFactory = gcs, GoogleCredential = gcs.Route(credential) }.Build();
/// </code>
/// </example>
/// <remarks>
/// Google's <c>ConfigurableHttpClient</c> keeps Google's own message handler (retries, authentication, back-off) and
/// its response stream interception, which <c>StorageClient</c> hashes downloads with; only the handler at the bottom,
/// the one that sends, is the named client's chain, taken from the factory per request (so it rotates as the factory's
/// handlers do). The Google client's own timeout applies, not the named client's <see cref="HttpClient.Timeout"/>.
/// Responses are not compressed on the wire (the chain does not decompress), and redirects are followed by
/// Proxy.Net, routing each hop, unless the named client turns that off.
/// </remarks>
public sealed class ProxyNetGoogleHttpClientFactory : HttpClientFactory
{
    private readonly IHttpMessageHandlerFactory _handlerFactory;

    /// <summary>Creates a factory whose clients send on the chain of the client named <paramref name="clientName"/>.</summary>
    /// <param name="httpClientFactory">The application's <see cref="System.Net.Http.IHttpClientFactory"/> (the container's, which is also its <see cref="IHttpMessageHandlerFactory"/>).</param>
    /// <param name="clientName">A client registered with <c>AddProxySupport()</c>, <c>BypassGlobalProxy()</c> or <c>UseProxy(url)</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="httpClientFactory"/> cannot hand out handler chains.</exception>
    public ProxyNetGoogleHttpClientFactory(System.Net.Http.IHttpClientFactory httpClientFactory, string clientName)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        ArgumentNullException.ThrowIfNull(clientName);
        _handlerFactory = httpClientFactory as IHttpMessageHandlerFactory ?? throw new ArgumentException(
            $"{httpClientFactory.GetType().Name} is not an IHttpMessageHandlerFactory: pass the IHttpClientFactory of the service provider " +
            "(services.AddHttpClient(...)), whose handler chains a Google client sends on.",
            nameof(httpClientFactory));
        ClientName = clientName;
    }

    /// <summary>The name of the client whose handler chain every request is sent on.</summary>
    public string ClientName { get; }

    /// <summary>
    /// The credential with its token requests (OAuth2 token endpoint, impersonation, metadata server) routed by this
    /// factory: <c>credential.CreateWithHttpClientFactory(this)</c>. Set it beside this factory on a client builder so
    /// data and tokens take the same route.
    /// </summary>
    /// <param name="credential">The application's credential (service account, user, external account, …).</param>
    public GoogleCredential Route(GoogleCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return credential.CreateWithHttpClientFactory(this);
    }

    /// <summary>Google's handler chain (without compression) over the named client's chain.</summary>
    /// <param name="args">Google's arguments; <see cref="CreateHttpClientArgs.GZipEnabled"/> is not honoured: the named client's chain does not decompress.</param>
    protected override HttpMessageHandler CreateHandler(CreateHttpClientArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var named = new NamedClientHandler(_handlerFactory, ClientName);
        // Without compression, Google's chain is its stream interception over one HttpClientHandler, which is never
        // used: the named chain takes its place, and downloads are still hashed as they are read.
        var google = base.CreateHandler(new CreateHttpClientArgs { GZipEnabled = false });
        if (google is DelegatingHandler { InnerHandler: HttpClientHandler unused } interception)
        {
            interception.InnerHandler = named;
            unused.Dispose();
            return interception;
        }

        google.Dispose();
        return named;
    }
}
