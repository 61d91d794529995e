using Microsoft.Extensions.DependencyInjection;
using ProxyNet.DependencyInjection;
using ProxyNet.Resolution;

namespace ProxyNet.IntegrationTests.Cloud;

/// <summary>Service providers for the SDK tests: Proxy.Net configured by options only (never the test process's environment).</summary>
internal static class CloudClients
{
    public static ServiceProvider Build(Action<ProxyNetOptions> configure, Action<IServiceCollection> clients)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddProxyNet(o =>
        {
            o.UseEnvironment = false;
            configure(o);
        });
        clients(services);
        return services.BuildServiceProvider();
    }

    /// <summary>A marker that is also a valid S3 bucket and Azure container name (lower case, 3–63 characters).</summary>
    public static string NewMarker() => $"m{Guid.NewGuid():N}";
}
