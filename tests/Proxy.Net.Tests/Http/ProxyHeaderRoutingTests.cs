using ProxyNet.Http;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.Tests.Http;

/// <summary>
/// Which requests reach an http proxy in absolute form and which through CONNECT (AlwaysTunnel, h2c, ProxyHeaders on
/// https), and that ProxyHeaders go to the proxy only and never stay on the caller's request.
/// </summary>
public sealed class ProxyHeaderRoutingTests
{
    [Fact]
    public async Task ProxyHeaders_go_on_the_absolute_form_request_as_hop_by_hop_and_leave_the_request_after_the_send()
    {
        await using var proxy = Proxy();
        using var client = Client(proxy, headers: true);
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://origin.test/p");

        using var response = await client.SendAsync(request);

        string head = Assert.Single(proxy.Received);
        Assert.StartsWith("GET http://origin.test/p HTTP/1.1\r\n", head, StringComparison.Ordinal);
        Assert.Contains("\r\nX-Proxy-Token: t1\r\n", head, StringComparison.Ordinal);
        Assert.Matches("(?im)^Connection:.*X-Proxy-Token", head);
        Assert.False(request.Headers.Contains("X-Proxy-Token"));
        Assert.DoesNotContain("X-Proxy-Token", request.Headers.Connection);
    }

    [Fact]
    public async Task ProxyHeaders_on_an_https_request_go_on_the_CONNECT()
    {
        await using var proxy = Proxy();
        using var client = Client(proxy, headers: true);
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://origin.test/p");

        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(request));

        string head = Assert.Single(proxy.Received);
        Assert.StartsWith("CONNECT origin.test:443 HTTP/1.1\r\n", head, StringComparison.Ordinal);
        Assert.Contains("\r\nX-Proxy-Token: t1\r\n", head, StringComparison.Ordinal);
        Assert.False(request.Headers.Contains("X-Proxy-Token"));
    }

    [Fact]
    public async Task AlwaysTunnel_reaches_an_http_origin_by_CONNECT_and_the_origin_never_sees_the_ProxyHeaders()
    {
        using var origin = new Origin();
        await using var proxy = new RecordingProxy();
        var options = new ProxyNetOptions { UseEnvironment = false, HttpProxy = proxy.Url };
        options.ProxyHeaders["X-Proxy-Token"] = "t1";
        using var client = new HttpClient(ProxyNetHandler.Create(ProxyResolver.Create(options), new ProxyClientOptions { AlwaysTunnel = true }));

        Assert.Equal("hello from origin", await client.GetStringAsync($"{origin.IpUrl}/hello"));

        var seen = Assert.Single(proxy.Requests);
        Assert.Equal("CONNECT", seen.Method);
        Assert.Equal($"127.0.0.1:{origin.Port}", seen.Target);
        Assert.All(origin.ReceivedHeaders, h => Assert.DoesNotContain(h.Keys, k => k.Equals("X-Proxy-Token", StringComparison.OrdinalIgnoreCase)));
    }

    [Theory]
    [InlineData(2, HttpVersionPolicy.RequestVersionOrHigher, true)]
    [InlineData(2, HttpVersionPolicy.RequestVersionExact, true)]
    [InlineData(2, HttpVersionPolicy.RequestVersionOrLower, false)]
    [InlineData(1, HttpVersionPolicy.RequestVersionOrHigher, false)]
    [InlineData(1, HttpVersionPolicy.RequestVersionOrLower, false)]
    public async Task H2c_goes_through_CONNECT_and_HTTP1_in_absolute_form(int major, HttpVersionPolicy policy, bool tunnelled)
    {
        await using var proxy = Proxy();
        using var client = Client(proxy, headers: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://origin.test/grpc")
        {
            Version = major == 2 ? System.Net.HttpVersion.Version20 : System.Net.HttpVersion.Version11,
            VersionPolicy = policy,
        };

        await Record.ExceptionAsync(() => client.SendAsync(request));

        string head = Assert.Single(proxy.Received);
        Assert.StartsWith(tunnelled ? "CONNECT origin.test:80 " : "GET http://origin.test/grpc ", head, StringComparison.Ordinal);
    }

    private static ScriptedServer Proxy() => new(async (s, server) =>
    {
        string head = await ScriptedServer.ReadHeadAsync(s);
        server.Received.Enqueue(head);
        await ScriptedServer.WriteAsync(s, head.StartsWith("CONNECT", StringComparison.Ordinal)
            ? "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
    });

    private static HttpClient Client(ScriptedServer proxy, bool headers)
    {
        var options = new ProxyNetOptions { UseEnvironment = false, HttpProxy = proxy.Url, HttpsProxy = proxy.Url };
        if (headers)
        {
            options.ProxyHeaders["X-Proxy-Token"] = "t1";
        }

        return new HttpClient(ProxyNetHandler.Create(ProxyResolver.Create(options))) { Timeout = TimeSpan.FromSeconds(20) };
    }
}
