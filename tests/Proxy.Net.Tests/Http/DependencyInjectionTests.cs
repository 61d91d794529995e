using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProxyNet.DependencyInjection;
using ProxyNet.Http;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.Tests.Http;

/// <summary>Real service providers, a WireMock origin and a recording proxy: routing is read from the proxy's record.</summary>
public sealed class DependencyInjectionTests : IAsyncLifetime
{
    private readonly OriginAndProxies _net = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _net.DisposeAsync().AsTask();

    [Fact]
    public async Task AddProxySupport_sends_through_the_global_proxy()
    {
        using var sp = _net.Services(s => s.AddHttpClient("s3").AddProxySupport());
        string body = await Client(sp, "s3").GetStringAsync($"{_net.Origin.IpUrl}/hello");
        Assert.Equal("hello from origin", body);
        var seen = Assert.Single(_net.Proxy.Requests);
        Assert.Equal("GET", seen.Method);
        Assert.Equal($"{_net.Origin.IpUrl}/hello", seen.Target);
    }

    [Fact]
    public async Task BypassGlobalProxy_never_reaches_the_proxy()
    {
        using var sp = _net.Services(s => s.AddHttpClient("intranet").BypassGlobalProxy());
        Assert.Equal("hello from origin", await Client(sp, "intranet").GetStringAsync($"{_net.Origin.IpUrl}/hello"));
        Assert.Empty(_net.Proxy.Requests);
        Assert.Single(_net.Origin.Server.LogEntries);
    }

    [Fact]
    public async Task Two_clients_in_one_provider_keep_their_own_choice()
    {
        using var sp = _net.Services(s =>
        {
            s.AddHttpClient("s3").AddProxySupport();
            s.AddHttpClient("intranet").BypassGlobalProxy();
            s.AddHttpClient("vendor").UseProxy(_net.Other.Url);
        });
        await Client(sp, "intranet").GetStringAsync($"{_net.Origin.IpUrl}/hello");
        await Client(sp, "s3").GetStringAsync($"{_net.Origin.IpUrl}/hello");
        await Client(sp, "vendor").GetStringAsync($"{_net.Origin.IpUrl}/hello");
        Assert.Single(_net.Proxy.Requests);
        Assert.Single(_net.Other.Requests);
        Assert.Equal(3, _net.Origin.Server.LogEntries.Count);
    }

    [Fact]
    public async Task A_NO_PROXY_entry_sends_direct()
    {
        using var sp = _net.Services(s => s.AddHttpClient("s3").AddProxySupport(), o => o.ExcludedDomains = ["127.0.0.0/8"]);
        await Client(sp, "s3").GetStringAsync($"{_net.Origin.IpUrl}/hello");
        Assert.Empty(_net.Proxy.Requests);
    }

    [Fact]
    public async Task A_per_request_override_wins_over_the_client()
    {
        using var sp = _net.Services(s =>
        {
            s.AddHttpClient("s3").AddProxySupport();
            s.AddHttpClient("intranet").BypassGlobalProxy();
        });
        using (var direct = new HttpRequestMessage(HttpMethod.Get, $"{_net.Origin.IpUrl}/hello").BypassProxy())
        {
            (await Client(sp, "s3").SendAsync(direct)).EnsureSuccessStatusCode();
        }

        Assert.Empty(_net.Proxy.Requests);
        using (var forced = new HttpRequestMessage(HttpMethod.Get, $"{_net.Origin.IpUrl}/hello").UseProxy(_net.Other.Url))
        {
            (await Client(sp, "intranet").SendAsync(forced)).EnsureSuccessStatusCode();
        }

        Assert.Single(_net.Other.Requests);
        Assert.Empty(_net.Proxy.Requests);
    }

    [Fact]
    public async Task A_redirect_to_a_bypassed_host_is_routed_again_and_no_proxy_header_reaches_the_origin()
    {
        await using var authProxy = new RecordingProxy("alice", "s3cret");
        _net.Origin.RedirectTo("/jump", $"{_net.Origin.NameUrl}/hello");
        using var sp = _net.Services(
            s => s.AddHttpClient("s3").AddProxySupport(),
            o =>
            {
                o.HttpProxy = authProxy.Url;
                o.Username = "alice";
                o.Password = "s3cret";
                o.ExcludedDomains = ["localhost"];
            });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{_net.Origin.IpUrl}/jump");
        request.Headers.ProxyAuthorization = new AuthenticationHeaderValue("Basic", "c3Rvd2F3YXk6bGVhaw==");
        var response = await Client(sp, "s3").SendAsync(request);
        Assert.Equal("hello from origin", await response.Content.ReadAsStringAsync());

        // The proxy saw the first hop only (after its 407 challenge), authenticated; the redirect went DIRECT.
        Assert.All(authProxy.Requests, r => Assert.Equal($"{_net.Origin.IpUrl}/jump", r.Target));
        Assert.Equal(authProxy.RequiredAuthorization, authProxy.Requests.Last().ProxyAuthorization);
        Assert.Equal(2, _net.Origin.Server.LogEntries.Count);
        Assert.All(_net.Origin.ReceivedHeaders, h => Assert.False(h.ContainsKey("Proxy-Authorization")));
    }

    [Fact]
    public async Task A_wrong_password_is_a_clear_407_error_naming_the_proxy_without_the_password()
    {
        await using var authProxy = new RecordingProxy("alice", "right");
        using var sp = _net.Services(s => s.AddHttpClient("s3").AddProxySupport(), o =>
        {
            o.HttpProxy = $"http://alice:wrong-hunter2@127.0.0.1:{authProxy.Port}";
        });
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Client(sp, "s3").GetStringAsync($"{_net.Origin.IpUrl}/hello"));
        Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, error.StatusCode);
        Assert.Contains(authProxy.Url, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
        Assert.True(authProxy.Requests.Count <= 2, "no 407 loop");
        Assert.Empty(_net.Origin.Server.LogEntries);
    }

    [Fact]
    public async Task A_broken_proxy_setting_fails_at_startup_instead_of_going_direct()
    {
        using var sp = _net.Services(s => s.AddHttpClient("s3").AddProxySupport(), o => o.HttpProxy = "http://proxy:99999");
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => Client(sp, "s3").GetStringAsync($"{_net.Origin.IpUrl}/hello"));
        Assert.Equal("Proxy:HttpProxy: port 99999 is out of range", Assert.Single(error.Failures));
        Assert.Empty(_net.Origin.Server.LogEntries);
    }

    [Fact]
    public async Task A_configuration_change_applies_to_new_requests_without_a_restart()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Proxy:HttpProxy"] = _net.Proxy.Url }).Build();
        var services = new ServiceCollection();
        services.AddProxyNet(config.GetSection("Proxy"));
        services.AddHttpClient("s3").AddProxySupport();
        using var sp = services.BuildServiceProvider();
        var client = Client(sp, "s3");
        await client.GetStringAsync($"{_net.Origin.IpUrl}/hello");
        config["Proxy:HttpProxy"] = _net.Other.Url;
        config.Reload();
        await client.GetStringAsync($"{_net.Origin.IpUrl}/hello");
        config["Proxy:ExcludedDomains"] = "127.0.0.1";
        config.Reload();
        await client.GetStringAsync($"{_net.Origin.IpUrl}/hello");
        Assert.Single(_net.Proxy.Requests);
        Assert.Single(_net.Other.Requests);
        Assert.Equal(3, _net.Origin.Server.LogEntries.Count);
    }

    [Fact]
    public async Task The_decision_is_logged_at_debug_with_its_reason_and_never_the_password()
    {
        var sink = new ListLoggerProvider();
        using var sp = _net.Services(
            s =>
            {
                s.AddLogging(l => l.AddProvider(sink).SetMinimumLevel(LogLevel.Debug));
                s.AddHttpClient("s3").AddProxySupport();
            },
            o => o.HttpProxy = $"http://bob:hunter2@127.0.0.1:{_net.Proxy.Port}");
        await Client(sp, "s3").GetStringAsync($"{_net.Origin.IpUrl}/hello");
        Assert.Contains(sink.Lines, l => l.Contains($"goes http://127.0.0.1:{_net.Proxy.Port} (Proxy:HttpProxy)", StringComparison.Ordinal));
        Assert.DoesNotContain(sink.Lines, l => l.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_web_proxy_alone_routes_a_plain_SocketsHttpHandler()
    {
        var resolver = ProxyResolver.Create(new ProxyNetOptions { HttpProxy = _net.Proxy.Url, UseEnvironment = false });
        using var client = new HttpClient(new SocketsHttpHandler { Proxy = new ProxyNetWebProxy(resolver) });
        Assert.Equal("hello from origin", await client.GetStringAsync($"{_net.Origin.IpUrl}/hello"));
        Assert.Single(_net.Proxy.Requests);
    }

    [Fact]
    public async Task The_web_proxy_never_turns_a_broken_setting_into_direct()
    {
        var resolver = ProxyResolver.Create(new ProxyNetOptions { HttpProxy = "http://proxy:99999", UseEnvironment = false });
        using var client = new HttpClient(new SocketsHttpHandler { Proxy = new ProxyNetWebProxy(resolver) });
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync($"{_net.Origin.IpUrl}/hello"));
        Assert.Empty(_net.Origin.Server.LogEntries);
    }

    [Fact]
    public async Task The_handler_works_without_dependency_injection()
    {
        var resolver = ProxyResolver.Create(new ProxyNetOptions { HttpProxy = _net.Proxy.Url, UseEnvironment = false });
        using var client = new HttpClient(ProxyNetHandler.Create(resolver));
        Assert.Equal("hello from origin", await client.GetStringAsync($"{_net.Origin.IpUrl}/hello"));
        Assert.Single(_net.Proxy.Requests);
    }

    private static HttpClient Client(IServiceProvider sp, string name) => sp.GetRequiredService<IHttpClientFactory>().CreateClient(name);
}
