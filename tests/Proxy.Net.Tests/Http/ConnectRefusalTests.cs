using System.Net;
using ProxyNet.Http;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.Tests.Http;

/// <summary>
/// A live proxy's answer to CONNECT about one destination fails that request with the answer in words, counted as a
/// refusal and traced with its route; the same on .NET 8 (which sets no StatusCode) and later.
/// </summary>
public sealed class ConnectRefusalTests
{
    [Theory]
    [InlineData(403, "Forbidden", "403 Forbidden", " (the proxy's policy forbids it)")]
    [InlineData(502, "Bad Gateway", "502 Bad Gateway", " (the proxy could not reach it)")]
    [InlineData(503, "Service Unavailable", "503 Service Unavailable", " (the proxy could not reach it)")]
    [InlineData(504, "Gateway Timeout", "504 Gateway Timeout", " (the proxy could not reach it)")]
    [InlineData(400, "Bad Request", "400 BadRequest", "")]
    public async Task A_CONNECT_refusal_names_the_proxy_the_answer_and_the_destination(int status, string reason, string answer, string hint)
    {
        await using var proxy = new ScriptedServer(async (s, _) =>
        {
            await ScriptedServer.ReadHeadAsync(s);
            await ScriptedServer.WriteAsync(s, $"HTTP/1.1 {status} {reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        });
        var resolver = ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false, HttpsProxy = proxy.Url });
        using var telemetry = new TelemetryCapture();
        using var client = new HttpClient(ProxyNetHandler.Create(resolver)) { Timeout = TimeSpan.FromSeconds(20) };

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("https://blocked.test:8443/x"));

        Assert.Equal($"Proxy {proxy.Url} (Proxy:HttpsProxy) answered {answer} for blocked.test:8443{hint}", error.Message);
        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.Equal(HttpRequestError.ProxyTunnelError, error.HttpRequestError);
        Assert.Equal(1, telemetry.Sum("proxynet.proxy.failures", "kind", "refused"));
        Assert.Equal(0, telemetry.Sum("proxynet.proxy.failures", "kind", "auth"));
        Assert.Equal(1, telemetry.Sum("proxynet.requests", "route", "proxy"));
        var route = Assert.Single(telemetry.Activities);
        Assert.Equal("ProxyNet.Route", route.Name);
        Assert.Equal(proxy.Url, route.Tags["proxynet.route"]);
        Assert.Equal("Proxy:HttpsProxy", route.Tags["proxynet.reason"]);
    }

    [Fact]
    public async Task A_CONNECT_407_without_credentials_says_none_are_configured()
    {
        await using var proxy = new ScriptedServer(async (s, _) =>
        {
            await ScriptedServer.ReadHeadAsync(s);
            await ScriptedServer.WriteAsync(s, "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        });
        var resolver = ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false, HttpsProxy = proxy.Url });
        using var telemetry = new TelemetryCapture();
        using var client = new HttpClient(ProxyNetHandler.Create(resolver)) { Timeout = TimeSpan.FromSeconds(20) };

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("https://blocked.test/"));

        Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, error.StatusCode);
        Assert.Equal($"Proxy {proxy.Url} (Proxy:HttpsProxy) requires a login (407 Proxy Authentication Required) for blocked.test:443, and no credentials were sent: it offered no scheme it names. Put the user name and password in Proxy:HttpsProxy (before the host, ending with '@'), or set Username and Password in the proxy configuration.", error.Message);
        Assert.Equal(1, telemetry.Sum("proxynet.proxy.failures", "kind", "auth"));
        Assert.Equal(0, telemetry.Sum("proxynet.proxy.failures", "kind", "refused"));
    }

    [Fact]
    public async Task A_CONNECT_407_to_wrong_credentials_says_what_the_proxy_offered_without_a_second_login()
    {
        var authorizations = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var proxy = new ScriptedServer(async (s, _) =>
        {
            while (await ScriptedServer.ReadHeadAsync(s) is { Length: > 0 } head)
            {
                authorizations.Enqueue(head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Proxy-Authorization:", StringComparison.OrdinalIgnoreCase)) ?? "none");
                await ScriptedServer.WriteAsync(s, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\nContent-Length: 0\r\n\r\n");
            }
        });
        var resolver = ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false, HttpsProxy = $"http://alice:wrong-pw@127.0.0.1:{proxy.Port}" });
        using var client = new HttpClient(ProxyNetHandler.Create(resolver)) { Timeout = TimeSpan.FromSeconds(20) };

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("https://blocked.test/"));

        Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, error.StatusCode);
        Assert.Equal(
            $"Proxy {proxy.Url} (Proxy:HttpsProxy) rejected the credentials for user 'alice' (407 Proxy Authentication Required) for blocked.test:443: it offered Basic; tried Basic as user 'alice' (from the user information in Proxy:HttpsProxy); the proxy rejected the Basic login of user 'alice' (wrong password or unknown user). Check the user name and password; inside a URL, '@', ':' and '/' in them must be percent-encoded.",
            error.Message);
        Assert.True(error.Data.Contains("ProxyNet.Explained"));
        Assert.DoesNotContain("wrong-pw", error.ToString(), StringComparison.Ordinal);

        // The probe that read the offer sent no login: the account sees no extra failed attempt.
        Assert.Equal(1, authorizations.Count(a => a.StartsWith("Proxy-Authorization", StringComparison.OrdinalIgnoreCase)));
        Assert.Contains("none", authorizations);
    }

    [Fact]
    public async Task A_DIRECT_request_is_traced_as_DIRECT_with_its_reason()
    {
        using var origin = new Origin();
        var resolver = ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false, HttpProxy = "http://proxy.test:3128", ExcludedDomains = ["127.0.0.1"] });
        using var telemetry = new TelemetryCapture();
        using var client = new HttpClient(ProxyNetHandler.Create(resolver));

        Assert.Equal("hello from origin", await client.GetStringAsync($"{origin.IpUrl}/hello"));

        var route = Assert.Single(telemetry.Activities);
        Assert.Equal("DIRECT", route.Tags["proxynet.route"]);
        Assert.Contains("127.0.0.1", route.Tags["proxynet.reason"], StringComparison.Ordinal);
        Assert.Equal(1, telemetry.Sum("proxynet.requests", "route", "direct"));
        Assert.Equal(0, telemetry.Sum("proxynet.requests", "route", "proxy"));
    }
}
