using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyNet.Http;
using ProxyNet.Resolution;

namespace ProxyNet.DependencyInjection;

/// <summary>
/// Proxy support for one named <see cref="HttpClient"/>: <see cref="ProxyNetHandler"/> becomes its primary handler,
/// routing every hop and sending it on the container's shared per-route connection pools.
/// </summary>
public static class ProxyNetHttpClientBuilderExtensions
{
    /// <summary>Routes this client by the global settings (environment, or the <c>Proxy</c> section).</summary>
    /// <example><code>services.AddHttpClient("s3").AddProxySupport();</code></example>
    public static IHttpClientBuilder AddProxySupport(this IHttpClientBuilder builder) =>
        builder.Configure(o => o.Mode = ProxyClientMode.UseGlobal);

    /// <summary>Sends every request of this client DIRECT, whatever the global settings say.</summary>
    /// <example><code>services.AddHttpClient("intranet").BypassGlobalProxy();</code></example>
    public static IHttpClientBuilder BypassGlobalProxy(this IHttpClientBuilder builder) =>
        builder.Configure(o => o.Mode = ProxyClientMode.Direct);

    /// <summary>Sends every request of this client through <paramref name="proxyUrl"/> (credentials may be in its user information).</summary>
    /// <example><code>services.AddHttpClient("vendor").UseProxy("http://other:8080");</code></example>
    public static IHttpClientBuilder UseProxy(this IHttpClientBuilder builder, string proxyUrl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(proxyUrl);
        if (ProxyAddressParser.Decide(proxyUrl, $"client '{builder?.Name}' proxy").Error is { } error)
        {
            throw new ProxyConfigurationException(error);
        }

        return builder!.Configure(o =>
        {
            o.Mode = ProxyClientMode.Proxy;
            o.ProxyUrl = proxyUrl;
        });
    }

    /// <summary>Sets this client's proxy options and wires the handlers (once per client).</summary>
    public static IHttpClientBuilder ConfigureProxy(this IHttpClientBuilder builder, Action<ProxyClientOptions> configure) =>
        builder.Configure(configure);

    private static IHttpClientBuilder Configure(this IHttpClientBuilder builder, Action<ProxyClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddProxyNet();
        builder.Services.Configure(builder.Name, configure);

        var wired = WiredClients(builder.Services);
        if (wired.Add(builder.Name))
        {
            string name = builder.Name;
            // The handler is light: the factory may rotate it, the pools, breakers and warnings stay in the container.
            builder.ConfigurePrimaryHttpMessageHandler(sp => new ProxyNetHandler(
                Route(sp, name),
                sp.GetRequiredService<RouteTransportPool>(),
                sp.GetRequiredService<WarningLedger>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("ProxyNet"),
                ownsPool: false));
        }

        return builder;
    }

    private static ClientRoute Route(IServiceProvider services, string name) =>
        new(
            services.GetRequiredService<ProxyResolver>(),
            services.GetRequiredService<IOptionsMonitor<ProxyClientOptions>>().Get(name),
            services.GetRequiredService<ProxyFailover>(),
            name);

    private static HashSet<string> WiredClients(IServiceCollection services)
    {
        var descriptor = services.FirstOrDefault(d => d.ServiceType == typeof(WiredClientNames));
        if (descriptor?.ImplementationInstance is WiredClientNames names)
        {
            return names.Names;
        }

        var created = new WiredClientNames();
        services.AddSingleton(created);
        return created.Names;
    }

    private sealed class WiredClientNames
    {
        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
    }
}
