using System.Net;
using System.Net.Sockets;
using ProxyNet.Http;
using ProxyNet.Resolution;
using ProxyNet.Tests.Pac;

namespace ProxyNet.Tests.Http;

/// <summary>
/// A PAC answer's candidates: one is sent as it is (a DIRECT one judged by the egress policy first); several are tried
/// in order, DIRECT included, and when none works the error lists them all.
/// </summary>
public sealed class PacCandidateTests
{
    private static readonly HttpRequestException Refused = new(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused));

    [Fact]
    public async Task A_single_DIRECT_answer_is_refused_by_the_egress_policy_before_anything_is_sent()
    {
        var routes = new FakeRoutes(_ => new HttpResponseMessage());
        using var client = routes.Client(Options(), pac: Engine("DIRECT"));

        await Assert.ThrowsAsync<ProxyEgressRefusedException>(() => client.GetAsync("http://origin.test/"));

        Assert.Empty(routes.Sent);
    }

    [Fact]
    public async Task A_single_proxy_answer_fails_with_the_transport_own_error()
    {
        var routes = new FakeRoutes(_ => throw Refused);
        using var client = routes.Client(Options(), pac: Engine("PROXY a.test:3128"));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("http://origin.test/"));

        Assert.Equal("Proxy http://a.test:3128 (PAC FindProxyForURL returned \"PROXY a.test:3128\") refused the connection: nothing listens on port 3128 of a.test (is the proxy running, and is the port right?)", error.Message);
        Assert.Equal(HttpRequestError.ConnectionError, error.HttpRequestError);
        Assert.Same(Refused, error.InnerException);
    }

    [Fact]
    public async Task An_answer_of_four_hundred_dead_proxies_makes_sixteen_attempts_for_one_request()
    {
        var routes = new FakeRoutes(_ => throw Refused);
        using var client = routes.Client(Options(), pac: Engine(string.Join("; ", Enumerable.Range(0, 400).Select(i => $"PROXY p{i}.test:3128"))));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("http://origin.test/"));

        Assert.Equal(16, routes.Transports.Count);
        Assert.StartsWith("No proxy could be reached for http://origin.test/ (PAC FindProxyForURL returned \"PROXY p0.test:3128; PROXY p1.test:3128;", error.Message, StringComparison.Ordinal);
        Assert.Contains("…): tried http://p0.test:3128, ", error.Message, StringComparison.Ordinal);
        Assert.Contains(", http://p15.test:3128; the last: Proxy http://p15.test:3128 (PAC", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("refused the connection: nothing listens on port 3128 of p15.test (is the proxy running, and is the port right?)", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 1200, error.Message);
    }

    [Fact]
    public async Task A_dead_DIRECT_candidate_falls_over_to_the_next_proxy()
    {
        var routes = new FakeRoutes((proxy, _) => proxy is null ? throw Refused : new HttpResponseMessage());
        using var client = routes.Client(new ProxyNetOptions { PacUrl = "http://wpad.test/proxy.pac" }, pac: Engine("DIRECT; PROXY b.test:3128"));

        using var response = await client.GetAsync("http://origin.test/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([null, "http://b.test:3128"], routes.Transports.Select(t => t.Proxy?.Address));
    }

    [Fact]
    public async Task When_every_candidate_fails_the_error_lists_them_and_keeps_the_last_reason()
    {
        var routes = new FakeRoutes(_ => throw Refused);
        using var client = routes.Client(Options(), pac: Engine("PROXY a.test:3128; DIRECT"));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("http://origin.test/x"));

        Assert.StartsWith("No proxy could be reached for http://origin.test/x (PAC FindProxyForURL returned \"PROXY a.test:3128; DIRECT\"): tried http://a.test:3128, DIRECT; the last: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(HttpRequestError.ProxyTunnelError, error.HttpRequestError);
        Assert.IsType<ProxyEgressRefusedException>(error.InnerException);
        Assert.Single(routes.Transports);
    }

    private static ProxyNetOptions Options() => new() { PacUrl = "http://wpad.test/proxy.pac", AllowedDirect = ["allowed.test"] };

    private static FakeEngine Engine(string answer) => new() { Current = new FakeEngine.Script((_, _) => answer) };
}
