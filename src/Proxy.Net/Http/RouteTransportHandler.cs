using ProxyNet.Resolution;

namespace ProxyNet.Http;

/// <summary>
/// The primary handler: sends each request on the connection pool of the route that
/// <see cref="ProxyNetHandler"/> decided and stored in the request's options.
/// </summary>
internal sealed class RouteTransportHandler(RouteTransportPool pool, bool ownsPool = false) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(ProxyRequestExtensions.DecisionKey, out var decision))
        {
            throw new InvalidOperationException("No proxy route was decided for this request: add ProxyNetHandler in front of this handler (AddProxySupport does).");
        }

        return pool.Get(decision.Proxy).SendAsync(request, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && ownsPool)
        {
            pool.Dispose();
        }

        base.Dispose(disposing);
    }
}
