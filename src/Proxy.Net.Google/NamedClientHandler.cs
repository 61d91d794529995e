namespace ProxyNet.Google;

/// <summary>
/// Sends each request on the handler chain of a named client, taken from the <see cref="IHttpMessageHandlerFactory"/>
/// per request: a Google client keeps its <c>ConfigurableHttpClient</c> for its lifetime, and this way still follows
/// the factory's handler rotation. It calls the chain as <see cref="HttpMessageInvoker"/> does, not through an
/// <see cref="HttpClient"/>, which would refuse a request that Google's client has already marked as sent.
/// </summary>
internal sealed class NamedClientHandler(IHttpMessageHandlerFactory handlerFactory, string clientName) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The factory owns the chain: disposing the invoker leaves it, its pools and connections alone.
        using var invoker = new HttpMessageInvoker(handlerFactory.CreateHandler(clientName), disposeHandler: false);
        return invoker.SendAsync(request, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        SendAsync(request, cancellationToken).GetAwaiter().GetResult();
}
