using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ProxyNet.DependencyInjection;
using ProxyNet.Http;
using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.IntegrationTests.Routing;

/// <summary>Routing through real squid, proven by squid's access log.</summary>
[Collection(RealProxiesCollection.Name)]
public sealed class SquidRoutingTests(RealProxies servers)
{
    [Fact]
    public async Task Http_goes_as_a_proxied_request()
    {
        using var sp = Clients.Build(servers, o => o.HttpProxy = servers.Squid.Url, s => s.AddHttpClient("s3").AddProxySupport());
        string path = Clients.NewPath();
        Assert.Equal("hello from origin", await sp.Get("s3").GetStringAsync($"{servers.Origin.IpUrl}{path}"));
        string line = await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, path);
        Assert.Contains($"GET {servers.Origin.IpUrl}{path}", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Https_goes_as_CONNECT()
    {
        string connect = $"CONNECT 127.0.0.1:{servers.TlsOrigin.Port}";
        int before = LogFile.Count(servers.Squid.AccessLog, connect);
        using (var sp = Clients.Build(servers, o => o.HttpsProxy = servers.Squid.Url, s => s.AddHttpClient("s3").AddProxySupport()))
        {
            Assert.Equal("hello over tls", await sp.Get("s3").GetStringAsync($"{servers.TlsOrigin.Url}/"));
        }

        await LogFile.WaitForNewLineAsync(() => servers.Squid.AccessLog, connect, before);
    }

    [Fact]
    public async Task NO_PROXY_hosts_never_reach_the_proxy()
    {
        string path = Clients.NewPath();
        int connectsBefore = CountConnects(servers.Squid.AccessLog);
        using (var sp = Clients.Build(
            servers,
            o =>
            {
                o.HttpProxy = o.HttpsProxy = servers.Squid.Url;
                o.ExcludedDomains = ["127.0.0.0/8"];
            },
            s => s.AddHttpClient("s3").AddProxySupport()))
        {
            await sp.Get("s3").GetStringAsync($"{servers.Origin.IpUrl}{path}");
            await sp.Get("s3").GetStringAsync($"{servers.TlsOrigin.Url}{path}");
        }

        await LogFile.AssertNoLineAsync(() => servers.Squid.AccessLog, path);
        Assert.Equal(connectsBefore, CountConnects(servers.Squid.AccessLog));
    }

    [Fact]
    public async Task BypassGlobalProxy_clients_never_reach_the_proxy_and_an_override_wins()
    {
        using var sp = Clients.Build(
            servers,
            o => o.HttpProxy = servers.Squid.Url,
            s =>
            {
                s.AddHttpClient("s3").AddProxySupport();
                s.AddHttpClient("intranet").BypassGlobalProxy();
            });
        string bypassed = Clients.NewPath();
        string overriddenDirect = Clients.NewPath();
        string overriddenProxy = Clients.NewPath();
        await sp.Get("intranet").GetStringAsync($"{servers.Origin.IpUrl}{bypassed}");
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"{servers.Origin.IpUrl}{overriddenDirect}").BypassProxy())
        {
            (await sp.Get("s3").SendAsync(request)).EnsureSuccessStatusCode();
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, $"{servers.Origin.IpUrl}{overriddenProxy}").UseProxy(servers.Squid.Url))
        {
            (await sp.Get("intranet").SendAsync(request)).EnsureSuccessStatusCode();
        }

        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, overriddenProxy);
        await LogFile.AssertNoLineAsync(() => servers.Squid.AccessLog, bypassed);
        await LogFile.AssertNoLineAsync(() => servers.Squid.AccessLog, overriddenDirect);
    }

    [Fact]
    public async Task Percent_encoded_credentials_in_the_proxy_url_authenticate()
    {
        string url = $"http://{RealProxies.User}:{Uri.EscapeDataString(RealProxies.Password)}@127.0.0.1:{servers.AuthSquid.Port}";
        string path = Clients.NewPath();
        string connect = $"CONNECT 127.0.0.1:{servers.TlsOrigin.Port} {RealProxies.User}";
        int before = LogFile.Count(servers.AuthSquid.AccessLog, connect);
        using (var sp = Clients.Build(servers, o => o.HttpProxy = o.HttpsProxy = url, s => s.AddHttpClient("s3").AddProxySupport()))
        {
            await sp.Get("s3").GetStringAsync($"{servers.Origin.IpUrl}{path}");
            await sp.Get("s3").GetStringAsync($"{servers.TlsOrigin.Url}{path}");
        }

        string line = await LogFile.WaitForLineAsync(() => servers.AuthSquid.AccessLog, $"{path} {RealProxies.User} ");
        Assert.Contains("TCP_MISS/200 ", line, StringComparison.Ordinal);
        await LogFile.WaitForNewLineAsync(() => servers.AuthSquid.AccessLog, connect, before);
    }

    [Fact]
    public async Task Credentials_from_options_authenticate()
    {
        using var sp = Clients.Build(
            servers,
            UseAuthSquidWithOptionLogin,
            s => s.AddHttpClient("s3").AddProxySupport());
        string path = Clients.NewPath();
        await sp.Get("s3").GetStringAsync($"{servers.Origin.IpUrl}{path}");
        string line = (await LogFile.WaitForLineAsync(() => servers.AuthSquid.AccessLog, path)).Trim();
        Assert.Contains($"{path} {RealProxies.User} ", servers.AuthSquid.AccessLog, StringComparison.Ordinal);
        Assert.NotEmpty(line);
    }

    [Theory]
    [InlineData("http")]
    [InlineData("https")]
    public async Task A_wrong_password_is_a_clear_407_naming_the_proxy_not_a_hang_and_never_shows_the_password(string scheme)
    {
        var logs = new ListLoggerProvider();
        string url = $"http://{RealProxies.User}:wrong-hunter2@127.0.0.1:{servers.AuthSquid.Port}";
        using var sp = Clients.Build(servers, o => o.HttpProxy = o.HttpsProxy = url, s => s.AddHttpClient("s3").AddProxySupport(), logs);
        string target = scheme == "http" ? $"{servers.Origin.IpUrl}{Clients.NewPath()}" : $"{servers.TlsOrigin.Url}/";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => sp.Get("s3").GetStringAsync(target, timeout.Token));
        Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, error.StatusCode);
        Assert.Contains($"127.0.0.1:{servers.AuthSquid.Port}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, l => l.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_redirect_from_a_proxied_host_to_a_bypassed_host_sends_no_proxy_credentials_to_the_origin()
    {
        var logs = new ListLoggerProvider();
        string jump = Clients.NewPath();
        string landing = Clients.NewPath();
        servers.Origin.RedirectTo(jump, $"{servers.Origin.NameUrl}{landing}");
        using var sp = Clients.Build(
            servers,
            o =>
            {
                UseAuthSquidWithOptionLogin(o);
                o.ExcludedDomains = ["localhost"];
            },
            s => s.AddHttpClient("s3").AddProxySupport(),
            logs);
        Assert.Equal("hello from origin", await sp.Get("s3").GetStringAsync($"{servers.Origin.IpUrl}{jump}"));
        await LogFile.WaitForLineAsync(() => servers.AuthSquid.AccessLog, jump);
        await LogFile.AssertNoLineAsync(() => servers.AuthSquid.AccessLog, landing);
        var received = servers.Origin.Server.LogEntries.Where(e => e.RequestMessage.Path is { } p && (p == jump || p == landing)).ToList();
        Assert.Equal(2, received.Count);
        Assert.All(received, e => Assert.False(e.RequestMessage.Headers?.ContainsKey("Proxy-Authorization") ?? false));
        Assert.Contains(logs.Lines, l => l.Contains($"{landing} goes DIRECT (Proxy:ExcludedDomains entry localhost)", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(RealProxies.Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_proxy_header_reaches_a_TLS_origin_through_a_tunnel()
    {
        string connect = $"CONNECT 127.0.0.1:{servers.TlsOrigin.Port} {RealProxies.User}";
        int connects = LogFile.Count(servers.AuthSquid.AccessLog, connect);
        int before = servers.TlsOrigin.ReceivedHeaders.Count;
        using (var sp = Clients.Build(servers, UseAuthSquidWithOptionLogin, s => s.AddHttpClient("s3").AddProxySupport()))
        {
            await sp.Get("s3").GetStringAsync($"{servers.TlsOrigin.Url}/tunnelled");
        }

        await LogFile.WaitForNewLineAsync(() => servers.AuthSquid.AccessLog, connect, connects);
        var headers = servers.TlsOrigin.ReceivedHeaders.Skip(before).ToList();
        Assert.NotEmpty(headers);
        Assert.All(headers, h => Assert.False(h.ContainsKey("Proxy-Authorization")));
    }

    private static int CountConnects(string log) => log.Split('\n').Count(l => l.Contains(" CONNECT ", StringComparison.Ordinal));

    /// <summary>The authenticating squid for http and https, with the login in the options rather than the URL.</summary>
    private void UseAuthSquidWithOptionLogin(ProxyNetOptions o)
    {
        o.HttpProxy = o.HttpsProxy = servers.AuthSquid.Url;
        o.Username = RealProxies.User;
        o.Password = RealProxies.Password;
    }
}
