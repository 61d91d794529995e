using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProxyNet.DependencyInjection;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.IntegrationTests.Cloud;

/// <summary>Service providers for the SDK tests: Proxy.Net configured by options only (never the test process's environment).</summary>
internal static class CloudClients
{
    public static ServiceProvider Build(Action<ProxyNetOptions> configure, Action<IServiceCollection> clients, ListLoggerProvider? logs = null)
    {
        var services = new ServiceCollection();
        // Debug, so every decision is logged: the SDKs' request URIs go through the log's URL redaction.
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Debug).AddProvider(logs ?? new ListLoggerProvider()));
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
