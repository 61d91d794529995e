using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ProxyNet.Http;
using ProxyNet.Resolution;

namespace ProxyNet.DependencyInjection;

/// <summary>Registers the global proxy settings and the services every proxied client shares.</summary>
public static class ProxyNetServiceCollectionExtensions
{
    /// <summary>Registers Proxy.Net with the environment as the only source (HTTP_PROXY, HTTPS_PROXY, NO_PROXY, …).</summary>
    /// <example><code>services.AddProxyNet();</code></example>
    public static IServiceCollection AddProxyNet(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        // Validated when the host starts (ValidateOnStart) and on every reload (ProxySettingsProvider).
        services.AddOptions<ProxyNetOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProxyNetOptions>, ProxyNetOptionsValidator>());
        services.AddLogging();
        services.TryAddSingleton(sp => new ProxySettingsProvider(
            sp.GetRequiredService<IOptionsFactory<ProxyNetOptions>>(),
            sp.GetServices<ProxyNetConfigurationSource>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<ProxySettingsProvider>>(),
            sp.GetService<IProxyAutoConfig>()));
        services.TryAddSingleton(sp => new ProxyResolver(() => sp.GetRequiredService<ProxySettingsProvider>().Current));
        services.TryAddSingleton<RouteTransportPool>();
        services.TryAddSingleton<ProxyFailover>();
        services.TryAddSingleton<WarningLedger>();
        services.TryAddSingleton(sp => new ProxyNetWebProxy(sp.GetRequiredService<ProxyResolver>()));
        return services;
    }

    /// <summary>
    /// Registers Proxy.Net with settings bound from <paramref name="section"/> (usually <c>Configuration.GetSection("Proxy")</c>),
    /// reloaded when it changes. The environment fills what the section leaves unset unless <c>UseEnvironment</c> is false.
    /// The settings are validated when the host starts (every bad key listed in one <see cref="OptionsValidationException"/>)
    /// and on every reload: a reload that fails keeps the last good settings and logs an error (event 12).
    /// </summary>
    /// <example><code>builder.Services.AddProxyNet(builder.Configuration.GetSection("Proxy"));</code></example>
    public static IServiceCollection AddProxyNet(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        services.AddProxyNet();
        services.AddSingleton(new ProxyNetConfigurationSource(section));
        services.AddSingleton<IConfigureOptions<ProxyNetOptions>>(new ConfigureNamedOptions<ProxyNetOptions>(Options.DefaultName, o => ProxyNetOptionsBinder.Bind(section, o)));
        return services;
    }

    /// <summary>Registers Proxy.Net with settings set in code.</summary>
    /// <example><code>services.AddProxyNet(o => { o.Host = "proxy.corp"; o.Port = 3128; });</code></example>
    public static IServiceCollection AddProxyNet(this IServiceCollection services, Action<ProxyNetOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddProxyNet();
        services.Configure(configure);
        return services;
    }

    /// <summary>
    /// Registers a local forward to <paramref name="host"/>:<paramref name="port"/> through the proxy the routing
    /// chooses for <c>https://host:port/</c> (a <see cref="Forwarding.ProxyTunnelListener"/>), started with the host and
    /// closed when it stops; <see cref="Forwarding.ProxyTunnelForwards.Get"/> gives its local end point. Registering a
    /// name again replaces it.
    /// </summary>
    /// <example><code>services.AddProxyTunnel("db", "db.internal", 5432, o => o.MaxConnections = 50);</code></example>
    public static IServiceCollection AddProxyTunnel(this IServiceCollection services, string name, string host, int port, Action<Forwarding.ProxyTunnelListenerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Forwarding.Destination.Validate(host, port);
        services.AddProxyNet();
        services.AddSingleton(new Forwarding.ForwardRegistration(name, host, port, configure));
        services.TryAddSingleton(sp => new Forwarding.ProxyTunnelForwards(
            sp.GetServices<Forwarding.ForwardRegistration>(),
            sp.GetRequiredService<ProxyResolver>(),
            sp.GetRequiredService<ProxyFailover>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Forwarding.ProxyTunnelForwards>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, Forwarding.ProxyTunnelForwards.Lifetime>(sp => new Forwarding.ProxyTunnelForwards.Lifetime(sp.GetRequiredService<Forwarding.ProxyTunnelForwards>())));
        return services;
    }
}
