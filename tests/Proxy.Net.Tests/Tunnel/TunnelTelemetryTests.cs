using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ProxyNet.Tests.Fakes;
using ProxyNet.Tunnel;

namespace ProxyNet.Tests.Tunnel;

/// <summary>Tunnel metrics: every failure counted once under its kind, and the time to open a tunnel recorded.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class TunnelTelemetryTests : IDisposable
{
    private static readonly ProxyTunnelOptions Quick = new() { ConnectTimeout = TimeSpan.FromSeconds(10), ResponseTimeout = TimeSpan.FromSeconds(1) };

    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly ConcurrentQueue<double> _durations = new();

    public TunnelTelemetryTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "ProxyNet" && instrument.Name is "proxynet.proxy.failures" or "proxynet.connect.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "kind")
                {
                    _failures.Enqueue($"{tag.Value}={value}");
                }
            }
        });
        _listener.SetMeasurementEventCallback<double>((_, value, _, _) => _durations.Enqueue(value));
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    [Theory]
    [InlineData("HTTP/1.1 407 Login\r\nProxy-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n", "auth")]
    [InlineData("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n", "refused")]
    [InlineData("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n", "refused")]
    [InlineData("SSH-2.0-not-http\r\n\r\n", "protocol")]
    [InlineData(null, "timeout")]
    public async Task A_failed_tunnel_is_counted_under_its_kind(string? reply, string kind)
    {
        await using var proxy = new ScriptedServer(async (s, _) =>
        {
            await ScriptedServer.ReadHeadAsync(s);
            if (reply is not null)
            {
                await ScriptedServer.WriteAsync(s, reply);
            }

            await ScriptedServer.ReadHeadAsync(s);
        });

        await Assert.ThrowsAsync<ProxyTunnelException>(() => ProxyTunnel.ConnectAsync(new Uri(proxy.Url), "example.com", 443, Quick));

        Assert.Equal([$"{kind}=1"], _failures);
        Assert.Empty(_durations);
    }

    [Fact]
    public async Task A_proxy_that_cannot_be_reached_is_a_connect_failure()
    {
        await Assert.ThrowsAsync<ProxyTunnelException>(() => ProxyTunnel.ConnectAsync(new Uri("http://127.0.0.1:1"), "example.com", 443, Quick));

        Assert.Equal(["connect=1"], _failures);
    }

    [Fact]
    public async Task A_TLS_handshake_that_fails_is_a_tls_failure()
    {
        await using var proxy = new ScriptedServer(async (s, _) => await ScriptedServer.WriteAsync(s, "HTTP/1.1 400 Not TLS\r\n\r\n"));

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => ProxyTunnel.ConnectAsync(new Uri($"https://127.0.0.1:{proxy.Port}"), "example.com", 443, Quick));

        Assert.StartsWith($"TLS to proxy https://127.0.0.1:{proxy.Port} failed: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(["tls=1"], _failures);
    }

    [Fact]
    public async Task An_opened_tunnel_records_its_setup_time_and_no_failure()
    {
        await using var proxy = new ScriptedServer(async (s, _) =>
        {
            await ScriptedServer.ReadHeadAsync(s);
            await ScriptedServer.WriteAsync(s, "HTTP/1.1 200 OK\r\n\r\n");
            await ScriptedServer.ReadHeadAsync(s);
        });

        await using var stream = await ProxyTunnel.ConnectAsync(new Uri(proxy.Url), "example.com", 443, Quick);

        double seconds = Assert.Single(_durations);
        Assert.True(seconds >= 0);
        Assert.Empty(_failures);
    }
}
