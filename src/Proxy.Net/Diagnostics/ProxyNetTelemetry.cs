using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ProxyNet.Diagnostics;

/// <summary>
/// Metrics and traces under the name <c>ProxyNet</c>, so OpenTelemetry picks them up with
/// <c>AddMeter("ProxyNet")</c> and <c>AddSource("ProxyNet")</c>. With no listener they cost a flag check.
/// </summary>
internal static class ProxyNetTelemetry
{
    public const string Name = "ProxyNet";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary><c>proxynet.requests</c>: requests by route (<c>proxy</c>, <c>direct</c>, <c>refused</c>) and scheme.</summary>
    public static readonly Counter<long> Requests = Meter.CreateCounter<long>("proxynet.requests", "{request}", "Requests routed by Proxy.Net, by route and scheme");

    /// <summary><c>proxynet.connect.duration</c>: how long proxies took to open CONNECT tunnels, in seconds.</summary>
    public static readonly Histogram<double> ConnectDuration = Meter.CreateHistogram<double>("proxynet.connect.duration", "s", "Time to open a CONNECT tunnel, from TCP connect to the proxy's 200");

    /// <summary><c>proxynet.proxy.failures</c>: proxy failures by kind (<c>connect</c>, <c>auth</c>, <c>refused</c>, <c>protocol</c>, <c>tls</c>, <c>timeout</c>).</summary>
    public static readonly Counter<long> ProxyFailures = Meter.CreateCounter<long>("proxynet.proxy.failures", "{failure}", "Proxy failures by kind");

    /// <summary>
    /// <c>proxynet.breakers.open</c>: proxies skipped right now because their circuit breaker is open. An up-down
    /// counter (+1 when a breaker opens, -1 when it closes), so no list of breakers has to live in the process.
    /// </summary>
    public static readonly UpDownCounter<int> OpenBreakers = Meter.CreateUpDownCounter<int>("proxynet.breakers.open", "{proxy}", "Proxies whose circuit breaker is open");

    /// <summary><c>proxynet.serve.connections</c>: client connections open to <c>proxynet serve</c> now.</summary>
    public static readonly UpDownCounter<int> ServeConnections = Meter.CreateUpDownCounter<int>("proxynet.serve.connections", "{connection}", "Client connections open to a ProxyServer");

    /// <summary><c>proxynet.serve.requests</c>: requests (CONNECTs included) a <c>ProxyServer</c> received.</summary>
    public static readonly Counter<long> ServeRequests = Meter.CreateCounter<long>("proxynet.serve.requests", "{request}", "Requests received by a ProxyServer");

    /// <summary><c>proxynet.serve.tunnels</c>: CONNECT tunnels a <c>ProxyServer</c> relays now.</summary>
    public static readonly UpDownCounter<int> ServeTunnels = Meter.CreateUpDownCounter<int>("proxynet.serve.tunnels", "{tunnel}", "CONNECT tunnels relayed by a ProxyServer");

    public static void CountRequest(string route, string scheme) =>
        Requests.Add(1, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("scheme", scheme));

    public static void CountFailure(string kind) =>
        ProxyFailures.Add(1, new KeyValuePair<string, object?>("kind", kind));
}
