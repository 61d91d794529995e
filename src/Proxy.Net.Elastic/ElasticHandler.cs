namespace ProxyNet.Elastic;

/// <summary>
/// A named client's handler chain as Elastic.Transport's invoker holds it: disposing it (when the invoker rotates its
/// handlers) leaves the chain to the <see cref="IHttpMessageHandlerFactory"/>, and the synchronous API
/// (<c>client.Get(...)</c> rather than <c>GetAsync</c>) blocks on the asynchronous send, which is all a Proxy.Net chain has.
/// </summary>
internal sealed class ElasticHandler(HttpMessageHandler chain) : HttpMessageHandler
{
    // disposeHandler: false, so disposing this handler (and the invoker) never disposes the factory's chain.
    private readonly HttpMessageInvoker _chain = new(chain, disposeHandler: false);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _chain.SendAsync(request, cancellationToken);

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _chain.SendAsync(request, cancellationToken).GetAwaiter().GetResult();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _chain.Dispose();
        }

        base.Dispose(disposing);
    }
}
