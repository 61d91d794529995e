using ProxyNet.Ftp;
using ProxyNet.Tests.Fakes;
using ProxyNet.Tests.Http;
using ProxyNet.Tunnel;

namespace ProxyNet.Tests.Ftp;

/// <summary>A cancelled or refused FTP connect leaves no socket behind (runs alone: it counts descriptors).</summary>
[Collection(DescriptorCounting.Name)]
public sealed class FtpConnectorTests
{
    [Fact]
    public async Task A_thousand_cancelled_connects_leave_no_socket_open()
    {
        using var listener = Ports.Listen(out int port);
        var connector = new FtpConnector(null, new ProxyTunnelOptions());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        int before = DescriptorCounting.OpenDescriptors();
        for (int i = 0; i < 1000; i++)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connector.OpenAsync("127.0.0.1", port, cancelled.Token));
        }

        int grown = DescriptorCounting.OpenDescriptors() - before;
        Assert.True(grown < 100, $"{grown} more descriptors open after 1,000 cancelled connects");
    }

    [Fact]
    public async Task A_thousand_refused_connects_leave_no_socket_open_and_name_the_server()
    {
        int port = Ports.Closed();

        var connector = new FtpConnector(null, new ProxyTunnelOptions());
        int before = DescriptorCounting.OpenDescriptors();
        for (int i = 0; i < 1000; i++)
        {
            var error = await Assert.ThrowsAsync<HttpRequestException>(() => connector.OpenAsync("127.0.0.1", port, CancellationToken.None));
            Assert.StartsWith($"Cannot connect to FTP server 127.0.0.1:{port}: ", error.Message, StringComparison.Ordinal);
        }

        int grown = DescriptorCounting.OpenDescriptors() - before;
        Assert.True(grown < 100, $"{grown} more descriptors open after 1,000 refused connects");
    }
}
