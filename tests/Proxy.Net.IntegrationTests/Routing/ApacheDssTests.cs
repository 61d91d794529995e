using Microsoft.Extensions.DependencyInjection;
using ProxyNet.DependencyInjection;
using ProxyNet.IntegrationTests.Servers;

namespace ProxyNet.IntegrationTests.Routing;

/// <summary>Through apache2 with the DSS seed configuration (ProxyRequests On, AllowCONNECT 20 21 443 1024-65535).</summary>
[Collection(RealProxiesCollection.Name)]
public sealed class ApacheDssTests(RealProxies servers)
{
    [Fact]
    public async Task Http_is_forwarded_and_logged()
    {
        using var sp = Clients.Build(servers, o => o.HttpProxy = servers.Apache.Url, s => s.AddHttpClient("dss").AddProxySupport());
        string path = Clients.NewPath();
        Assert.Equal("hello from origin", await sp.Get("dss").GetStringAsync($"{servers.Origin.IpUrl}{path}"));
        await LogFile.WaitForLineAsync(() => servers.Apache.AccessLog, $"\"GET {servers.Origin.IpUrl}{path} HTTP/1.1\" 200");
        // ProxyVia On: the origin sees apache's Via header.
        var entry = servers.Origin.Server.LogEntries.Last(e => e.RequestMessage.Path == path);
        Assert.True(entry.RequestMessage.Headers!.ContainsKey("Via"));
    }

    [Fact]
    public async Task Https_tunnels_with_CONNECT_to_an_allowed_port()
    {
        using (var sp = Clients.Build(servers, o => o.HttpsProxy = servers.Apache.Url, s => s.AddHttpClient("dss").AddProxySupport()))
        {
            Assert.Equal("hello over tls", await sp.Get("dss").GetStringAsync($"{servers.TlsOrigin.Url}/"));
        }

        await LogFile.WaitForLineAsync(() => servers.Apache.AccessLog, $"\"CONNECT 127.0.0.1:{servers.TlsOrigin.Port} HTTP/1.1\" 200");
    }

    [Fact]
    public async Task A_CONNECT_to_a_port_AllowCONNECT_refuses_fails_clearly()
    {
        using var sp = Clients.Build(servers, o => o.HttpsProxy = servers.Apache.Url, s => s.AddHttpClient("dss").AddProxySupport());
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => sp.Get("dss").GetStringAsync("https://127.0.0.1:1000/"));
        Assert.Contains("403", error.Message, StringComparison.Ordinal);
        await LogFile.WaitForLineAsync(() => servers.Apache.AccessLog, "\"CONNECT 127.0.0.1:1000 HTTP/1.1\" 403");
    }
}
