using System.Net;
using System.Text;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;
using ProxyNet.Tunnel;

namespace ProxyNet.Tests.Tunnel;

/// <summary>What the CONNECT request carries (target, credentials, extra headers) and which answers open the tunnel.</summary>
public sealed class TunnelRequestTests
{
    private static readonly ProxyTunnelOptions Quick = new() { ConnectTimeout = TimeSpan.FromSeconds(10), ResponseTimeout = TimeSpan.FromSeconds(5) };

    [Theory]
    [InlineData("::1", 443, "[::1]:443")]
    [InlineData("2001:db8::5", 8443, "[2001:db8::5]:8443")]
    [InlineData("192.0.2.7", 22, "192.0.2.7:22")]
    public async Task The_target_is_written_as_an_authority_with_IPv6_in_brackets(string host, int port, string authority)
    {
        await using var proxy = Answering("HTTP/1.1 200 OK\r\n\r\n");

        await using var stream = await ProxyTunnel.ConnectAsync(new Uri(proxy.Url), host, port, Quick);

        Assert.StartsWith($"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n", proxy.Received.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_in_the_options_win_over_the_proxy_URL()
    {
        await using var proxy = LoginProxy("bob", "right");
        var options = new ProxyTunnelOptions { Credentials = new NetworkCredential("bob", "right"), ResponseTimeout = Quick.ResponseTimeout };

        await using var stream = await ProxyTunnel.ConnectAsync(new Uri($"http://alice:wrong@127.0.0.1:{proxy.Port}"), "example.com", 443, options);

        Assert.Contains("Proxy-Authorization: " + Basic("bob", "right") + "\r\n", proxy.Received.Last(), StringComparison.Ordinal);
        Assert.DoesNotContain(proxy.Received, head => head.Contains(Basic("alice", "wrong"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_credentials_in_the_options_the_proxy_URL_logs_in()
    {
        await using var proxy = LoginProxy("alice", "pw");

        await using var stream = await ProxyTunnel.ConnectAsync(new Uri($"http://alice:pw@127.0.0.1:{proxy.Port}"), "example.com", 443, new ProxyTunnelOptions { Credentials = null });

        Assert.Contains("Proxy-Authorization: " + Basic("alice", "pw") + "\r\n", proxy.Received.Last(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_endpoint_headers_and_the_option_headers_are_both_sent()
    {
        await using var proxy = Answering("HTTP/1.1 200 OK\r\n\r\n");
        Assert.True(ProxyAddressParser.TryParse(proxy.Url, "test", out var endpoint, out _));
        var withHeaders = endpoint!.WithHeaders([new("X-Tenant", "blue"), new("X-Trace", "1")]);
        var options = new ProxyTunnelOptions { ProxyHeaders = { ["X-Client"] = "cli" }, ResponseTimeout = Quick.ResponseTimeout };

        await using var stream = await ProxyTunnel.ConnectAsync(withHeaders, "example.com", 443, options);

        string head = proxy.Received.Single();
        Assert.Contains("\r\nX-Tenant: blue\r\nX-Trace: 1\r\nX-Client: cli\r\n", head, StringComparison.Ordinal);
        Assert.EndsWith("Proxy-Connection: Keep-Alive\r\n\r\n", head, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_header_Proxy_Net_sets_itself_is_refused_in_words()
    {
        await using var proxy = Answering("HTTP/1.1 200 OK\r\n\r\n");
        var options = new ProxyTunnelOptions { ProxyHeaders = { ["Host"] = "evil.example" }, ResponseTimeout = Quick.ResponseTimeout };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => ProxyTunnel.ConnectAsync(new Uri(proxy.Url), "example.com", 443, options));

        Assert.Equal("options", error.ParamName);
        Assert.StartsWith("ProxyHeaders: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("Host", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(204)]
    [InlineData(299)]
    public async Task Any_2xx_opens_the_tunnel(int status)
    {
        await using var proxy = Answering($"HTTP/1.1 {status} Fine\r\n\r\nbanner");

        await using var stream = await ProxyTunnel.ConnectAsync(new Uri(proxy.Url), "example.com", 443, Quick);

        var buffer = new byte[16];
        Assert.Equal("banner", Encoding.ASCII.GetString(buffer, 0, await stream.ReadAsync(buffer)));
    }

    [Theory]
    [InlineData(300, "Multiple")]
    [InlineData(302, "Found")]
    [InlineData(500, "Boom")]
    public async Task Any_other_final_status_refuses_with_it(int status, string reason)
    {
        await using var proxy = Answering($"HTTP/1.1 {status} {reason}\r\nContent-Length: 0\r\n\r\n");

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => ProxyTunnel.ConnectAsync(new Uri(proxy.Url), "example.com", 443, Quick));

        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.Equal($"Proxy {proxy.Url} answered {status} {reason} to CONNECT example.com:443", error.Message);
    }

    [Fact]
    public async Task A_403_names_the_port_the_proxy_probably_does_not_allow()
    {
        await using var proxy = Answering("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => ProxyTunnel.ConnectAsync(new Uri(proxy.Url), "::1", 8443, Quick));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal(
            $"Proxy {proxy.Url} refused CONNECT [::1]:8443 (403 Forbidden): port 8443 is probably not allowed by the proxy (Apache AllowCONNECT, squid SSL_ports)",
            error.Message);
    }

    private static ScriptedServer Answering(string reply) => new(async (s, self) =>
    {
        self.Received.Enqueue(await ScriptedServer.ReadHeadAsync(s));
        await ScriptedServer.WriteAsync(s, reply);
        await ScriptedServer.ReadHeadAsync(s);
    });

    /// <summary>Asks for Basic until it gets this user's password, on one kept-alive connection.</summary>
    private static ScriptedServer LoginProxy(string user, string password) => new(async (s, self) =>
    {
        string head;
        while ((head = await ScriptedServer.ReadHeadAsync(s)).Length > 0)
        {
            self.Received.Enqueue(head);
            await ScriptedServer.WriteAsync(s, head.Contains("Proxy-Authorization: " + Basic(user, password) + "\r\n", StringComparison.Ordinal)
                ? "HTTP/1.1 200 OK\r\n\r\n"
                : "HTTP/1.1 407 Login\r\nProxy-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n");
        }
    });

    private static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
}
