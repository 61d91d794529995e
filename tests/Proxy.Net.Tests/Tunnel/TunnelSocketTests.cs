using ProxyNet.Tests.Fakes;
using ProxyNet.Tests.Http;
using ProxyNet.Tunnel;

namespace ProxyNet.Tests.Tunnel;

/// <summary>A tunnel that cannot be opened leaves no socket behind (runs alone: it counts descriptors, and never
/// collects garbage first, which would close a leaked socket and hide the leak).</summary>
[Collection(DescriptorCounting.Name)]
public sealed class TunnelSocketTests
{
    [Fact]
    public async Task A_thousand_refused_proxy_connects_leave_no_socket_open()
    {
        int dead = Ports.Closed();
        var proxy = new Uri($"http://127.0.0.1:{dead}");
        int before = DescriptorCounting.OpenDescriptors();
        for (int i = 0; i < 1000; i++)
        {
            var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => ProxyTunnel.ConnectAsync(proxy, "example.com", 443, new ProxyTunnelOptions()));
            Assert.StartsWith($"Proxy http://127.0.0.1:{dead} refused the connection: ", error.Message, StringComparison.Ordinal);
        }

        int grown = DescriptorCounting.OpenDescriptors() - before;
        Assert.True(grown < 100, $"{grown} more descriptors open after 1,000 refused proxy connects");
    }

    [Fact]
    public async Task A_thousand_cancelled_proxy_connects_leave_no_socket_open()
    {
        using var listener = Ports.Listen(out int port);
        var proxy = new Uri($"http://127.0.0.1:{port}");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        int before = DescriptorCounting.OpenDescriptors();
        for (int i = 0; i < 1000; i++)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ProxyTunnel.ConnectAsync(proxy, "example.com", 443, new ProxyTunnelOptions(), cancelled.Token));
        }

        int grown = DescriptorCounting.OpenDescriptors() - before;
        Assert.True(grown < 100, $"{grown} more descriptors open after 1,000 cancelled proxy connects");
    }
}
