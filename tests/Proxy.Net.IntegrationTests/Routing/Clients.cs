using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProxyNet.DependencyInjection;
using ProxyNet.Http;
using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;
using ProxyNet.Tls;

namespace ProxyNet.IntegrationTests.Routing;

/// <summary>Builds real service providers whose clients trust the test CA, with logs captured.</summary>
internal static class Clients
{
    public static ServiceProvider Build(RealProxies servers, Action<ProxyNetOptions> configure, Action<IServiceCollection> clients, ListLoggerProvider? logs = null)
    {
        var services = new ServiceCollection();
        // A factory registration, so disposing the provider closes the pooled tunnels: squid logs a CONNECT when it ends.
        services.AddSingleton(_ => new RouteTransportPool(new TransportSettings { OriginRoots = servers.Certificates.Roots }));
        services.AddLogging(l =>
        {
            l.SetMinimumLevel(LogLevel.Debug);
            if (logs is not null)
            {
                l.AddProvider(logs);
            }
        });
        services.AddProxyNet(o =>
        {
            o.UseEnvironment = false;
            configure(o);
        });
        clients(services);
        return services.BuildServiceProvider();
    }

    public static HttpClient Get(this IServiceProvider services, string name) =>
        services.GetRequiredService<IHttpClientFactory>().CreateClient(name);

    public static string NewPath() => $"/hello-{Guid.NewGuid():N}";
}
