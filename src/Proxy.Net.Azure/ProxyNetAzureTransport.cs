using Azure.Core;
using Azure.Core.Pipeline;

namespace ProxyNet.Azure;

/// <summary>
/// An Azure SDK transport that sends every request on the <see cref="HttpClient"/> of a named client from the
/// application's <see cref="IHttpClientFactory"/>, so any Azure client (<c>BlobClientOptions</c>,
/// <c>SecretClientOptions</c>, … through <see cref="ClientOptions.Transport"/>) is routed exactly as that named
/// client is: the global proxy (<c>AddProxySupport()</c>), DIRECT (<c>BypassGlobalProxy()</c>) or its own proxy
/// (<c>UseProxy(url)</c>), with the same <c>NO_PROXY</c> rules, proxy credentials, trust, failover and egress policy.
/// Azure.Identity credentials take it the same way (their options are <see cref="ClientOptions"/>):
/// <see cref="Route"/> sets it on the client's and the credential's options in one call.
/// </summary>
/// <example>
/// <code>
/// services.AddHttpClient("blob").AddProxySupport();
/// // later, with the application's IHttpClientFactory:
/// var blobs = new BlobServiceClient(uri, credential, new BlobClientOptions { Transport = ProxyNetAzureTransport.Create(httpClientFactory, "blob") });
/// </code>
/// </example>
/// <remarks>
/// Each request takes a client from the factory (cheap: the factory keeps the handlers, Proxy.Net the connection
/// pools), so a changed client configuration applies when the factory rotates its handlers, as for every other
/// client. The Azure pipeline owns timeouts (<see cref="RetryOptions.NetworkTimeout"/>, retries), as with its own
/// transport: the named client's <see cref="HttpClient.Timeout"/> is lifted for these requests. The synchronous
/// methods of an Azure client (<c>Upload</c> rather than <c>UploadAsync</c>) block on the asynchronous send.
/// </remarks>
public sealed class ProxyNetAzureTransport : HttpPipelineTransport
{
    private readonly IHttpClientFactory _httpClientFactory;

    private ProxyNetAzureTransport(IHttpClientFactory httpClientFactory, string clientName)
    {
        _httpClientFactory = httpClientFactory;
        ClientName = clientName;
    }

    /// <summary>The name of the <see cref="HttpClient"/> every request is sent on.</summary>
    public string ClientName { get; }

    /// <summary>Creates a transport that sends on the client named <paramref name="clientName"/>.</summary>
    /// <param name="httpClientFactory">The application's <see cref="IHttpClientFactory"/>.</param>
    /// <param name="clientName">A client registered with <c>AddProxySupport()</c>, <c>BypassGlobalProxy()</c> or <c>UseProxy(url)</c>.</param>
    public static ProxyNetAzureTransport Create(IHttpClientFactory httpClientFactory, string clientName)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        ArgumentNullException.ThrowIfNull(clientName);
        return new ProxyNetAzureTransport(httpClientFactory, clientName);
    }

    /// <summary>
    /// Routes every one of <paramref name="options"/> like the client named <paramref name="clientName"/>, on one
    /// transport: the service client's options and the credential's (<c>ClientSecretCredentialOptions</c>,
    /// <c>WorkloadIdentityCredentialOptions</c>, … are <see cref="ClientOptions"/> too), so the token requests to
    /// Microsoft Entra ID take the same route as the data instead of going DIRECT.
    /// </summary>
    /// <example>
    /// <code>
    /// var blobOptions = new BlobClientOptions();
    /// var credentialOptions = new ClientSecretCredentialOptions();
    /// ProxyNetAzureTransport.Route(httpClientFactory, "blob", blobOptions, credentialOptions);
    /// var blobs = new BlobServiceClient(uri, new ClientSecretCredential(tenantId, clientId, secret, credentialOptions), blobOptions);
    /// </code>
    /// </example>
    /// <param name="httpClientFactory">The application's <see cref="IHttpClientFactory"/>.</param>
    /// <param name="clientName">A client registered with <c>AddProxySupport()</c>, <c>BypassGlobalProxy()</c> or <c>UseProxy(url)</c>.</param>
    /// <param name="options">The options to route: at least one; each one's <see cref="ClientOptions.Transport"/> is replaced.</param>
    /// <returns>The transport now set on every one of <paramref name="options"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="options"/> is empty or holds null.</exception>
    public static ProxyNetAzureTransport Route(IHttpClientFactory httpClientFactory, string clientName, params ClientOptions[] options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Length == 0 || Array.IndexOf(options, null) >= 0)
        {
            throw new ArgumentException("Pass the options to route: the service client's and the credential's (e.g. BlobClientOptions and ClientSecretCredentialOptions).", nameof(options));
        }

        var transport = Create(httpClientFactory, clientName);
        foreach (var option in options)
        {
            option.Transport = transport;
        }

        return transport;
    }

    /// <inheritdoc />
    /// <remarks>Any <see cref="HttpClientTransport"/> builds the same request type; the shared one only builds it here, never sends.</remarks>
    public override Request CreateRequest() => HttpClientTransport.Shared.CreateRequest();

    /// <inheritdoc />
    public override void Process(HttpMessage message) => ProcessAsync(message).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override ValueTask ProcessAsync(HttpMessage message) => Transport().ProcessAsync(message);

    private HttpClientTransport Transport()
    {
        var client = _httpClientFactory.CreateClient(ClientName);
        client.Timeout = Timeout.InfiniteTimeSpan;
        return new HttpClientTransport(client);
    }
}
