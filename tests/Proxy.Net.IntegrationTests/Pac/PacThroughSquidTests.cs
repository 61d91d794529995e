using System.Net;
using System.Net.Sockets;
using ProxyNet.Http;
using ProxyNet.IntegrationTests.Routing;
using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Pac;
using ProxyNet.Resolution;

namespace ProxyNet.IntegrationTests.Pac;

/// <summary>A PAC script's answer routes real requests: failover across its proxies, DIRECT, and the egress policy.</summary>
[Collection(RealProxiesCollection.Name)]
public sealed class PacThroughSquidTests(RealProxies servers) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("proxynet-pac-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task PROXY_dead_then_PROXY_squid_fails_over_to_squid()
    {
        string path = Clients.NewPath();
        using var client = Client($"return \"PROXY 127.0.0.1:{ServerProcess.FreePort()}; PROXY 127.0.0.1:{servers.Squid.Port}\";");
        Assert.Equal("hello from origin", await client.GetStringAsync($"{servers.Origin.IpUrl}{path}"));
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"GET {servers.Origin.IpUrl}{path}");
    }

    [Fact]
    public async Task DIRECT_goes_direct_and_squid_sees_nothing()
    {
        string path = Clients.NewPath();
        using var client = Client($"return isPlainHostName(host) ? \"PROXY 127.0.0.1:{servers.Squid.Port}\" : \"DIRECT\";");
        Assert.Equal("hello from origin", await client.GetStringAsync($"{servers.Origin.IpUrl}{path}"));
        await LogFile.AssertNoLineAsync(() => servers.Squid.AccessLog, path);
        Assert.Contains(servers.Origin.Server.LogEntries, e => e.RequestMessage.Path == path);
    }

    [Fact]
    public async Task The_egress_policy_still_refuses_a_DIRECT_answer()
    {
        string path = Clients.NewPath();
        using var client = Client("return \"DIRECT\";", ["allowed.invalid"]);
        await Assert.ThrowsAsync<ProxyEgressRefusedException>(() => client.GetStringAsync($"{servers.Origin.IpUrl}{path}"));
        Assert.DoesNotContain(servers.Origin.Server.LogEntries, e => e.RequestMessage.Path == path);
        await LogFile.AssertNoLineAsync(() => servers.Squid.AccessLog, path);
    }

    private HttpClient Client(string body, IList<string>? allowedDirect = null)
    {
        string pac = Path.Combine(_dir, $"{Guid.NewGuid():N}.pac");
        File.WriteAllText(pac, $"function FindProxyForURL(url, host) {{ {body} }}");
        var options = new ProxyNetOptions { UseEnvironment = false, PacUrl = pac, AllowedDirect = allowedDirect ?? [] };
        return new HttpClient(ProxyNetHandler.Create(ProxyResolver.Create(options, new ProxyAutoConfig())));
    }

}
