using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyNet.Http;
using ProxyNet.Resolution;

namespace ProxyNet.DependencyInjection;

/// <summary>
/// Proxy support for one named <see cref="HttpClient"/>: its requests are routed by <see cref="ProxyNetHandler"/>
/// and sent on the shared per-route connection pools.
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
        if (ProxyDecision.FromUrl(proxyUrl, $"client '{builder?.Name}' proxy").Error is { } error)
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
            builder.AddHttpMessageHandler(sp => new ProxyNetHandler(Route(sp, name), sp.GetRequiredService<ILoggerFactory>().CreateLogger("ProxyNet")));
            builder.ConfigurePrimaryHttpMessageHandler(sp => new RouteTransportHandler(sp.GetRequiredService<RouteTransportPool>(), Route(sp, name)));
        }

        return builder;
    }

    private static ClientRoute Route(IServiceProvider services, string name) =>
        new(services.GetRequiredService<ProxyResolver>(), services.GetRequiredService<IOptionsMonitor<ProxyClientOptions>>().Get(name), name);

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
