using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyNet.Pac;

namespace ProxyNet.DependencyInjection;

/// <summary>Registers the PAC engine that runs <c>Proxy:PacUrl</c> scripts.</summary>
public static class ProxyNetPacServiceCollectionExtensions
{
    /// <summary>
    /// Lets <c>PacUrl</c> (<c>Proxy:PacUrl</c>) scripts decide routes: registers <see cref="ProxyAutoConfig"/> as the
    /// resolver's <see cref="IProxyAutoConfig"/>. An <see cref="IPacHostResolver"/> or <see cref="TimeProvider"/> in the
    /// container replaces the machine's DNS or clock.
    /// </summary>
    /// <example><code>services.AddProxyNet(configuration.GetSection("Proxy")).AddPac(o => o.CallTimeout = TimeSpan.FromMilliseconds(500));</code></example>
    public static IServiceCollection AddPac(this IServiceCollection services, Action<PacOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddProxyNet();
        var options = services.AddOptions<PacOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton<IProxyAutoConfig>(sp => new ProxyAutoConfig(
            sp.GetRequiredService<IOptions<PacOptions>>().Value,
            sp.GetService<IPacHostResolver>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger("ProxyNet.Pac")));
        return services;
    }
}
