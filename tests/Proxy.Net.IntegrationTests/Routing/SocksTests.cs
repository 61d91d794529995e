using Microsoft.Extensions.DependencyInjection;
using ProxyNet.DependencyInjection;
using ProxyNet.IntegrationTests.Servers;

namespace ProxyNet.IntegrationTests.Routing;

/// <summary>SOCKS5 through microsocks, with and without a login; its log names every connection it made.</summary>
[Collection(RealProxiesCollection.Name)]
public sealed class SocksTests(RealProxies servers)
{
    [Theory]
    [InlineData("socks5")]
    [InlineData("socks5h")]
    public async Task Http_and_https_go_through_socks5(string scheme)
    {
        using var sp = Clients.Build(servers, o => o.AllProxy = $"{scheme}://127.0.0.1:{servers.Socks.Port}", s => s.AddHttpClient("s").AddProxySupport());
        Assert.Equal("hello from origin", await sp.Get("s").GetStringAsync($"{servers.Origin.IpUrl}{Clients.NewPath()}"));
        Assert.Equal("hello over tls", await sp.Get("s").GetStringAsync($"{servers.TlsOrigin.Url}/"));
        await LogFile.WaitForLineAsync(() => servers.Socks.Log, $"connected to 127.0.0.1:{servers.Origin.Port}");
        await LogFile.WaitForLineAsync(() => servers.Socks.Log, $"connected to 127.0.0.1:{servers.TlsOrigin.Port}");
    }

    [Fact]
    public async Task Socks5_with_a_username_and_password()
    {
        string url = $"socks5://{RealProxies.User}:{Uri.EscapeDataString(RealProxies.Password)}@127.0.0.1:{servers.AuthSocks.Port}";
        using var sp = Clients.Build(servers, o => o.HttpProxy = url, s => s.AddHttpClient("s").AddProxySupport());
        Assert.Equal("hello from origin", await sp.Get("s").GetStringAsync($"{servers.Origin.IpUrl}{Clients.NewPath()}"));
        await LogFile.WaitForLineAsync(() => servers.AuthSocks.Log, $"connected to 127.0.0.1:{servers.Origin.Port}");
    }

    [Fact]
    public async Task Socks5_with_a_wrong_password_fails_without_showing_it()
    {
        string url = $"socks5://{RealProxies.User}:wrong-hunter2@127.0.0.1:{servers.AuthSocks.Port}";
        using var sp = Clients.Build(servers, o => o.HttpProxy = url, s => s.AddHttpClient("s").AddProxySupport());
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => sp.Get("s").GetStringAsync($"{servers.Origin.IpUrl}{Clients.NewPath()}"));
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_NO_PROXY_host_does_not_reach_the_socks_proxy()
    {
        using var sp = Clients.Build(
            servers,
            o =>
            {
                o.HttpProxy = $"socks5://127.0.0.1:{servers.Socks.Port}";
                o.ExcludedDomains = ["localhost"];
            },
            s => s.AddHttpClient("s").AddProxySupport());
        int before = Connections(servers.Socks.Log, servers.Origin.Port);
        await sp.Get("s").GetStringAsync($"{servers.Origin.NameUrl}{Clients.NewPath()}");
        await Task.Delay(300);
        Assert.Equal(before, Connections(servers.Socks.Log, servers.Origin.Port));
    }

    private static int Connections(string log, int port) =>
        log.Split('\n').Count(l => l.Contains("connected to", StringComparison.Ordinal) && l.TrimEnd().EndsWith($":{port}", StringComparison.Ordinal));
}
