using System.Text;
using ProxyNet.Tests.Fakes;
using ProxyNet.Tunnel;
using static ProxyNet.Tests.Fakes.StreamText;

namespace ProxyNet.Tests.Tunnel;

/// <summary>The opened tunnel over a real socket: early bytes first, both directions, end-of-stream, and closing.</summary>
public sealed class TunnelStreamThroughProxyTests
{
    private static readonly ProxyTunnelOptions Quick = new() { ConnectTimeout = TimeSpan.FromSeconds(10), ResponseTimeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task A_synchronous_read_returns_the_bytes_sent_with_the_200_first()
    {
        await using var proxy = new ScriptedServer(async (s, _) =>
        {
            await ScriptedServer.ReadHeadAsync(s);
            await ScriptedServer.WriteAsync(s, "HTTP/1.1 200 Connection established\r\n\r\nSSH-2.0-banner\r\n");
            await ScriptedServer.ReadHeadAsync(s);
        });

        await using var stream = await ProxyTunnel.ConnectAsync(new Uri(proxy.Url), "db.internal", 22, Quick);

        var buffer = new byte[64];
        Assert.Equal("SSH-2.0-banner\r\n", Encoding.ASCII.GetString(buffer, 0, stream.Read(buffer, 0, buffer.Length)));
    }

    [Fact]
    public async Task The_tunnel_carries_both_ways_and_ends_only_when_the_peer_closes()
    {
        await using var proxy = new ScriptedServer(async (s, _) =>
        {
            await ScriptedServer.ReadHeadAsync(s);
            await ScriptedServer.WriteAsync(s, "HTTP/1.1 200 Connection established\r\n\r\nfirst");
            string? line = await ScriptedServer.ReadLineAsync(s);
            await ScriptedServer.WriteAsync(s, $"echo {line}");
        });

        await using var stream = await ProxyTunnel.ConnectAsync(new Uri(proxy.Url), "example.com", 443, Quick);

        Assert.Equal("first", await ReadSomeAsync(stream));
        await stream.WriteAsync(Encoding.ASCII.GetBytes("ping\n"));
        await stream.FlushAsync();
        Assert.Equal("echo ping", await ReadToEndAsync(stream));
    }

    [Fact]
    public async Task Disposing_the_tunnel_closes_the_connection()
    {
        var closed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var proxy = new ScriptedServer(async (s, _) =>
        {
            await ScriptedServer.ReadHeadAsync(s);
            await ScriptedServer.WriteAsync(s, "HTTP/1.1 200 Connection established\r\n\r\n");
            closed.SetResult(await ScriptedServer.ReadLineAsync(s) ?? "end of stream");
        });
        var stream = await ProxyTunnel.ConnectAsync(new Uri(proxy.Url), "example.com", 443, Quick);

        stream.Dispose();

        Assert.Equal("end of stream", await closed.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_refused_tunnel_closes_its_connection()
    {
        var closed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var proxy = new ScriptedServer(async (s, _) =>
        {
            await ScriptedServer.ReadHeadAsync(s);
            await ScriptedServer.WriteAsync(s, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
            closed.SetResult(await ScriptedServer.ReadLineAsync(s) ?? "end of stream");
        });

        await Assert.ThrowsAsync<ProxyTunnelException>(() => ProxyTunnel.ConnectAsync(new Uri(proxy.Url), "example.com", 443, Quick));

        Assert.Equal("end of stream", await closed.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
