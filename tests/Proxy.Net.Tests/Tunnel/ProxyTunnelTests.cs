using System.Net;
using System.Text;
using ProxyNet.Tests.Fakes;
using ProxyNet.Tunnel;

namespace ProxyNet.Tests.Tunnel;

/// <summary>The CONNECT primitive against well-behaved and hostile proxies.</summary>
public sealed class ProxyTunnelTests
{
    private static readonly ProxyTunnelOptions Quick = new() { ConnectTimeout = TimeSpan.FromSeconds(5), ResponseTimeout = TimeSpan.FromSeconds(2) };

    [Fact]
    public async Task Keeps_the_bytes_that_arrive_with_the_200_header()
    {
        await using var proxy = new ScriptedServer(async (s, self) =>
        {
            self.Received.Enqueue(await ScriptedServer.ReadHeadAsync(s));
            await ScriptedServer.WriteAsync(s, "HTTP/1.1 200 Connection established\r\nX-Junk: 1\r\n\r\nSSH-2.0-early-banner\r\n");
            await Task.Delay(200);
        });
        await using var stream = await ProxyTunnel.ConnectAsync(new Uri(proxy.Url), "db.internal", 5432, Quick);
        var buffer = new byte[100];
        int n = await stream.ReadAsync(buffer);
        Assert.Equal("SSH-2.0-early-banner\r\n", Encoding.ASCII.GetString(buffer, 0, n));
        Assert.StartsWith("CONNECT db.internal:5432 HTTP/1.1\r\nHost: db.internal:5432\r\n", proxy.Received.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answers_a_407_once_with_Basic_credentials_and_never_loops()
    {
        await using var proxy = new ScriptedServer(async (s, self) =>
        {
            string head = await ScriptedServer.ReadHeadAsync(s);
            self.Received.Enqueue(head);
            await ScriptedServer.WriteAsync(s, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n");
        });
        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => ProxyTunnel.ConnectAsync(new Uri($"http://alice:hunter2@127.0.0.1:{proxy.Port}"), "example.com", 443, Quick));
        Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, error.StatusCode);
        Assert.Equal(2, proxy.Received.Count);
        Assert.Contains("Proxy-Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:hunter2")), proxy.Received.Last(), StringComparison.Ordinal);
        Assert.Contains("the proxy rejected the Basic login of user 'alice' (wrong password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("garbage", "did not answer CONNECT example.com:443 with HTTP")]
    [InlineData("oversized", "over 16384 bytes")]
    [InlineData("close", "closed the connection without answering")]
    [InlineData("midheader", "in the middle of its CONNECT response")]
    [InlineData("silent", "did not answer CONNECT example.com:443 within")]
    [InlineData("noblankline", "did not answer CONNECT example.com:443 within")]
    [InlineData("403", "refused CONNECT example.com:443 (403")]
    [InlineData("502", "answered 502 Bad Gateway")]
    public async Task A_hostile_proxy_gets_a_clear_error_within_the_timeout(string behaviour, string expected)
    {
        await using var proxy = new ScriptedServer(async (s, _) =>
        {
            await ScriptedServer.ReadHeadAsync(s);
            switch (behaviour)
            {
                case "garbage":
                    await ScriptedServer.WriteAsync(s, "\x16\x03\x01 garbage bytes\r\n\r\n");
                    break;
                case "oversized":
                    await ScriptedServer.WriteAsync(s, "HTTP/1.1 200 OK\r\nX-Big: " + new string('a', 1 << 20));
                    break;
                case "midheader":
                    await ScriptedServer.WriteAsync(s, "HTTP/1.1 200 OK\r\nX-Half: ");
                    break;
                case "silent":
                    await Task.Delay(5000);
                    break;
                case "noblankline":
                    await ScriptedServer.WriteAsync(s, "HTTP/1.1 200 Connection established\r\n");
                    await Task.Delay(5000);
                    break;
                case "403":
                    await ScriptedServer.WriteAsync(s, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
                    break;
                case "502":
                    await ScriptedServer.WriteAsync(s, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
                    break;
            }
        });
        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => ProxyTunnel.ConnectAsync(new Uri(proxy.Url), "example.com", 443, Quick));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(4), "ended within its timeout");
    }

    [Theory]
    [InlineData("example.com\r\nX-Injected: 1")]
    [InlineData("example.com\n")]
    [InlineData("exa mple.com")]
    [InlineData("example.com/path")]
    [InlineData("")]
    public async Task A_target_with_CR_LF_or_spaces_is_refused_before_anything_is_sent(string host)
    {
        await using var proxy = new ScriptedServer(async (s, self) => self.Received.Enqueue(await ScriptedServer.ReadHeadAsync(s)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => ProxyTunnel.ConnectAsync(new Uri(proxy.Url), host, 443, Quick));
        await Task.Delay(100);
        Assert.Empty(proxy.Received);
    }

    [Fact]
    public async Task A_dead_proxy_is_a_clear_error()
    {
        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => ProxyTunnel.ConnectAsync(new Uri("http://127.0.0.1:1"), "example.com", 443, Quick));
        Assert.Contains("Proxy http://127.0.0.1:1 refused the connection: nothing listens on port 1 of 127.0.0.1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_is_honoured()
    {
        await using var proxy = new ScriptedServer(async (s, _) => await Task.Delay(5000));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ProxyTunnel.ConnectAsync(new Uri(proxy.Url), "example.com", 443, new ProxyTunnelOptions(), cancel.Token));
    }
}
