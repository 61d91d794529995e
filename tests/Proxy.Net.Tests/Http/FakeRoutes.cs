using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using ProxyNet.Http;
using ProxyNet.Resolution;

namespace ProxyNet.Tests.Http;

/// <summary>A route pool of <see cref="FakeTransport"/>s and the handler over it: the handler's own logic, no sockets.</summary>
internal sealed class FakeRoutes(Func<ProxyEndpoint?, HttpRequestMessage, HttpResponseMessage> answer)
{
    public FakeRoutes(Func<HttpRequestMessage, HttpResponseMessage> answer)
        : this((_, request) => answer(request))
    {
    }

    public ConcurrentQueue<FakeTransport> Transports { get; } = new();

    /// <summary>Every request any route saw, in order.</summary>
    public IEnumerable<FakeTransport.Sent> Sent => Transports.SelectMany(t => t.Requests);

    public RouteTransportPool Pool(int capacity = 128) => new((proxy, _, tunnel) =>
    {
        var transport = new FakeTransport(proxy, tunnel, request => answer(proxy, request));
        Transports.Enqueue(transport);
        return transport;
    })
    {
        Capacity = capacity,
    };

    public HttpClient Client(ProxyNetOptions options, ProxyClientOptions? client = null, ILogger? logger = null, int capacity = 128, IProxyAutoConfig? pac = null) =>
        new(Handler(options, client, logger, capacity, pac));

    public ProxyNetHandler Handler(ProxyNetOptions options, ProxyClientOptions? client = null, ILogger? logger = null, int capacity = 128, IProxyAutoConfig? pac = null)
    {
        options.UseEnvironment = false;
        var resolver = pac is null ? ProxyResolver.Create(options) : ProxyResolver.Create(options, pac);
        var route = new ClientRoute(resolver, client ?? new ProxyClientOptions(), new ProxyFailover());
        return new ProxyNetHandler(route, Pool(capacity), new WarningLedger(), logger, ownsPool: true);
    }
}
