using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ProxyNet.DependencyInjection;
using ProxyNet.Http;
using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Tls;

namespace ProxyNet.IntegrationTests.Routing;

/// <summary>A CARTO-style <c>externalProxy</c> section bound from JSON, end to end through squid with authentication.</summary>
[Collection(RealProxiesCollection.Name)]
public sealed class CartoConfigurationTests(RealProxies servers)
{
    [Fact]
    public async Task The_CARTO_section_routes_through_squid_and_excludes_its_domains()
    {
        string json = $$"""
            {
              "Proxy": {
                "enabled": true,
                "host": "127.0.0.1",
                "port": {{servers.AuthSquid.Port}},
                "type": "http",
                "username": "{{RealProxies.User}}",
                "password": "{{RealProxies.Password}}",
                "excludedDomains": ["localhost,.svc.cluster.local"]
              }
            }
            """;
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var services = new ServiceCollection();
        services.AddSingleton(_ => new RouteTransportPool(new TransportSettings { OriginRoots = servers.Certificates.Roots }));
        services.AddProxyNet(configuration.GetSection("Proxy"));
        services.AddHttpClient("s3").AddProxySupport();
        string proxied = Clients.NewPath();
        string excluded = Clients.NewPath();
        using (var sp = services.BuildServiceProvider())
        {
            Assert.Equal("hello from origin", await sp.Get("s3").GetStringAsync($"{servers.Origin.IpUrl}{proxied}"));
            Assert.Equal("hello from origin", await sp.Get("s3").GetStringAsync($"{servers.Origin.NameUrl}{excluded}"));
            Assert.Equal("hello over tls", await sp.Get("s3").GetStringAsync($"{servers.TlsOrigin.Url}/carto"));
        }

        await LogFile.WaitForLineAsync(() => servers.AuthSquid.AccessLog, $"{proxied} {RealProxies.User} HIER_DIRECT");
        await LogFile.WaitForLineAsync(() => servers.AuthSquid.AccessLog, $"CONNECT 127.0.0.1:{servers.TlsOrigin.Port} {RealProxies.User}");
        await LogFile.AssertNoLineAsync(() => servers.AuthSquid.AccessLog, excluded);
    }
}
