using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ProxyNet.DependencyInjection;
using ProxyNet.IntegrationTests.Servers;

namespace ProxyNet.IntegrationTests.Routing;

/// <summary>A 407 on the plain-HTTP path (SocketsHttpHandler logs in) is said in the login engine's words, against real squid.</summary>
[Collection(RealProxiesCollection.Name)]
public sealed class PlainPathLoginTests(RealProxies servers)
{
    [Fact]
    public async Task A_wrong_password_says_what_was_offered_tried_and_why()
    {
        using var sp = Clients.Build(servers, o => o.HttpProxy = $"http://{RealProxies.User}:not-the-password@127.0.0.1:{servers.AuthSquid.Port}", s => s.AddHttpClient("c").AddProxySupport());

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => sp.Get("c").GetStringAsync($"{servers.Origin.IpUrl}{Clients.NewPath()}"));

        Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, error.StatusCode);
        Assert.Contains(
            $"rejected the credentials for user '{RealProxies.User}' (407 Proxy Authentication Required) for 127.0.0.1:{servers.Origin.Port}: it offered Basic; tried Basic as user '{RealProxies.User}' (from the user information in Proxy:HttpProxy); the proxy rejected the Basic login of user '{RealProxies.User}' (wrong password or unknown user)",
            error.Message,
            StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_credentials_says_what_the_proxy_offered()
    {
        using var sp = Clients.Build(servers, o => o.HttpProxy = $"http://127.0.0.1:{servers.AuthSquid.Port}", s => s.AddHttpClient("c").AddProxySupport());

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => sp.Get("c").GetStringAsync($"{servers.Origin.IpUrl}{Clients.NewPath()}"));

        Assert.Contains($"(Proxy:HttpProxy) requires a login (407 Proxy Authentication Required) for 127.0.0.1:{servers.Origin.Port}, and no credentials were sent: it offered Basic. Put the user name and password in Proxy:HttpProxy (before the host, ending with '@')", error.Message, StringComparison.Ordinal);
    }
}
