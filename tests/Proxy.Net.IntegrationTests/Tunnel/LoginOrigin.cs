using System.Text;
using ProxyNet.Tests.Fakes;
using ProxyNet.Tunnel;

namespace ProxyNet.IntegrationTests.Tunnel;

/// <summary>
/// A loopback TCP origin that says "hello" and closes: its fresh port is the unique marker of one test in squid's
/// log. <see cref="TunnelAsync"/> opens a tunnel to it and reads the greeting through the proxy.
/// </summary>
internal sealed class LoginOrigin : IAsyncDisposable
{
    private readonly ScriptedServer _server = new(async (s, _) => await ScriptedServer.WriteAsync(s, "hello\n"));

    /// <summary>The CONNECT target as squid logs it.</summary>
    public string Target => $"127.0.0.1:{_server.Port}";

    public async Task TunnelAsync(Uri proxy, ProxyTunnelOptions options)
    {
        await using var stream = await ProxyTunnel.ConnectAsync(proxy, "127.0.0.1", _server.Port, options);
        var buffer = new byte[16];
        int n = await stream.ReadAsync(buffer);
        Assert.Equal("hello\n", Encoding.ASCII.GetString(buffer, 0, n));
    }

    /// <summary>
    /// Proof from squid's log: <paramref name="tunnels"/> tunnels, each its own client connection carrying every
    /// leg of its login (the 407s and the 200), each 200 logged with <paramref name="user"/>.
    /// </summary>
    public async Task AssertOneConnectionPerTunnelAsync(Servers.SquidServer squid, int tunnels, string user)
    {
        var lines = await squid.WaitForAsync(Target, l => l.Count(r => r.Status == "200") >= tunnels);
        string log = string.Join('\n', lines);
        var byConnection = lines.GroupBy(r => r.ClientPort).ToList();
        Assert.True(byConnection.Count == tunnels, $"expected {tunnels} client connections, squid logged:\n{log}");
        foreach (var connection in byConnection)
        {
            Assert.True(connection.Count(r => r.Status == "200" && r.User == user) == 1, $"each connection carries one logged-in tunnel for {user}:\n{log}");
        }

        Assert.Contains(lines, r => r.Status == "407");
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
