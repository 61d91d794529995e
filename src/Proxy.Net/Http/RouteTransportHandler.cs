using ProxyNet.Resolution;

namespace ProxyNet.Http;

/// <summary>
/// The primary handler: sends each request on the connection pool of its route, decided as
/// <see cref="ProxyNetHandler"/> decided it (a per-request override arrives in the request's options).
/// </summary>
internal sealed class RouteTransportHandler(RouteTransportPool pool, ClientRoute route, bool ownsPool = false) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // ProxyNetHandler stores a decision only for a per-request override; otherwise decide as it did.
        if (!request.Options.TryGetValue(ProxyRequestExtensions.DecisionKey, out var decision))
        {
            decision = route.Decide(request.RequestUri!);
        }

        if (decision.IsError)
        {
            throw new ProxyConfigurationException(decision.Error!);
        }

        var transport = route.Transport ?? pool.DefaultSettings;
        if (request.RequestUri!.Scheme == "ftp")
        {
            var connector = new Ftp.FtpConnector(decision.Proxy, RouteTransportPool.TunnelOptions(decision.Proxy, transport));
            return Ftp.FtpTransport.SendAsync(request, connector, route.Options.FtpCredentials, cancellationToken);
        }

        return pool.Get(decision.Proxy, transport).SendAsync(request, cancellationToken);
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
