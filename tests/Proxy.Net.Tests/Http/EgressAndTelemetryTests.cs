using System.Diagnostics.Metrics;
using ProxyNet.Http;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.Tests.Http;

/// <summary>The egress policy refuses DIRECT before any packet; metrics count every route.</summary>
public sealed class EgressAndTelemetryTests : IAsyncLifetime
{
    private readonly Origin _origin = new();
    private readonly RecordingProxy _proxy = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _origin.Dispose();
        await _proxy.DisposeAsync();
    }

    [Fact]
    public async Task DIRECT_is_allowed_only_to_listed_destinations_and_refused_before_anything_is_sent()
    {
        var resolver = ProxyResolver.Create(new ProxyNetOptions
        {
            UseEnvironment = false,
            HttpProxy = _proxy.Url,
            ExcludedDomains = ["127.0.0.1", "localhost"],
            AllowedDirect = [$"localhost:{_origin.Port}"],
        });
        using var client = new HttpClient(ProxyNetHandler.Create(resolver));
        Assert.Equal("hello from origin", await client.GetStringAsync($"{_origin.NameUrl}/hello"));
        var refused = await Assert.ThrowsAsync<ProxyEgressRefusedException>(() => client.GetStringAsync($"{_origin.IpUrl}/hello"));
        Assert.Contains($"DIRECT connection to 127.0.0.1:{_origin.Port}", refused.Message, StringComparison.Ordinal);
        Assert.Contains("NO_PROXY", refused.Message.Replace("Proxy:ExcludedDomains", "NO_PROXY", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Single(_origin.Server.LogEntries);

        // A proxied request is not affected by the egress policy.
        Assert.Equal("hello from origin", await client.GetStringAsync($"http://127.0.0.2:{_origin.Port}/hello"));
        Assert.Single(_proxy.Requests);
    }

    [Fact]
    public async Task Requests_are_counted_by_route()
    {
        var counts = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "ProxyNet" && instrument.Name == "proxynet.requests")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "route")
                {
                    lock (counts)
                    {
                        counts[(string)tag.Value!] = counts.GetValueOrDefault((string)tag.Value!) + value;
                    }
                }
            }
        });
        listener.Start();
        var resolver = ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false, HttpProxy = _proxy.Url, ExcludedDomains = ["localhost"] });
        using var client = new HttpClient(ProxyNetHandler.Create(resolver));
        await client.GetStringAsync($"{_origin.IpUrl}/hello");
        await client.GetStringAsync($"{_origin.NameUrl}/hello");
        await client.GetStringAsync($"{_origin.NameUrl}/hello");
        Assert.True(counts.GetValueOrDefault("proxy") >= 1);
        Assert.True(counts.GetValueOrDefault("direct") >= 2);
    }
}
