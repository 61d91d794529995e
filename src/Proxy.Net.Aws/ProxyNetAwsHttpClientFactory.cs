using Amazon.Runtime;

namespace ProxyNet.Aws;

/// <summary>
/// Hands the AWS SDK the <see cref="HttpClient"/> of a named client from the application's
/// <see cref="IHttpClientFactory"/>, so an AWS service client is routed exactly as that named client is: the global
/// proxy (<c>AddProxySupport()</c>), DIRECT (<c>BypassGlobalProxy()</c>) or its own proxy (<c>UseProxy(url)</c>),
/// with the same <c>NO_PROXY</c> rules, proxy credentials, trust, failover and egress policy.
/// </summary>
/// <example>
/// <code>
/// services.AddHttpClient("s3").AddProxySupport();
/// // later, with the application's IHttpClientFactory:
/// var s3 = new AmazonS3Client(new AmazonS3Config { HttpClientFactory = new ProxyNetAwsHttpClientFactory(httpClientFactory, "s3") });
/// </code>
/// </example>
/// <remarks>
/// The SDK asks for a client per request and disposes it afterwards; that is cheap, because the factory keeps the
/// handler chain and Proxy.Net keeps the connection pools, and it lets the factory rotate handlers as it does for
/// every other client. The SDK's own proxy settings (<c>ProxyHost</c>, <c>ProxyPort</c>, <c>ProxyCredentials</c>)
/// would be ignored with a factory, so setting them is refused: configure the named client instead.
/// </remarks>
public sealed class ProxyNetAwsHttpClientFactory : HttpClientFactory
{
    private readonly IHttpClientFactory _httpClientFactory;

    /// <summary>Creates a factory that hands out the client named <paramref name="clientName"/>.</summary>
    /// <param name="httpClientFactory">The application's <see cref="IHttpClientFactory"/>.</param>
    /// <param name="clientName">A client registered with <c>AddProxySupport()</c>, <c>BypassGlobalProxy()</c> or <c>UseProxy(url)</c>.</param>
    public ProxyNetAwsHttpClientFactory(IHttpClientFactory httpClientFactory, string clientName)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        ArgumentNullException.ThrowIfNull(clientName);
        _httpClientFactory = httpClientFactory;
        ClientName = clientName;
    }

    /// <summary>The name of the <see cref="HttpClient"/> this factory hands out.</summary>
    public string ClientName { get; }

    /// <summary>Creates the named client, with the SDK's <see cref="IClientConfig.Timeout"/> when one is set.</summary>
    /// <exception cref="InvalidOperationException">The SDK configuration sets a proxy of its own.</exception>
    public override HttpClient CreateHttpClient(IClientConfig clientConfig)
    {
        ArgumentNullException.ThrowIfNull(clientConfig);
        if (!string.IsNullOrEmpty(clientConfig.ProxyHost) || clientConfig.ProxyCredentials is not null)
        {
            throw new InvalidOperationException(
                $"The AWS client configuration sets ProxyHost/ProxyCredentials, which the SDK ignores when a HttpClientFactory is set: " +
                $"configure the proxy of HttpClient '{ClientName}' instead (AddProxySupport(), BypassGlobalProxy(), UseProxy(url)).");
        }

        var client = _httpClientFactory.CreateClient(ClientName);
        if (clientConfig.Timeout is { } timeout)
        {
            client.Timeout = timeout;
        }

        return client;
    }

    /// <summary>False: the <see cref="IHttpClientFactory"/> pools the handlers; a second cache would keep one past its rotation.</summary>
    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    /// <summary>True: disposing a client from <see cref="IHttpClientFactory"/> leaves its handlers and connections to the factory.</summary>
    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;
}
