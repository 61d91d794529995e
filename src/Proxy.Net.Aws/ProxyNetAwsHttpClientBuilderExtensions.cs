using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace ProxyNet.Aws;

/// <summary>
/// Registers an AWS service client that sends through a named, Proxy.Net-wired <see cref="HttpClient"/>.
/// </summary>
/// <example>
/// <code>
/// services.AddHttpClient("s3").AddProxySupport()
///         .AddAwsClient&lt;IAmazonS3, AmazonS3Config&gt;(config =&gt; new AmazonS3Client(config), config =&gt; config.RegionEndpoint = RegionEndpoint.EUWest1);
/// </code>
/// </example>
public static class ProxyNetAwsHttpClientBuilderExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TService"/> as a singleton made by <paramref name="create"/> from a
    /// <typeparamref name="TConfig"/> whose <see cref="ClientConfig.HttpClientFactory"/> hands out this named client.
    /// </summary>
    /// <param name="builder">The named client, wired with <c>AddProxySupport()</c>, <c>BypassGlobalProxy()</c> or <c>UseProxy(url)</c>.</param>
    /// <param name="create">Makes the service client from the configuration, e.g. <c>config =&gt; new AmazonS3Client(config)</c>.</param>
    /// <param name="configure">Sets the rest of the configuration (region, endpoint, …); runs after the factory is set.</param>
    public static IHttpClientBuilder AddAwsClient<TService, TConfig>(this IHttpClientBuilder builder, Func<TConfig, TService> create, Action<TConfig>? configure = null)
        where TService : class
        where TConfig : ClientConfig, new()
    {
        ArgumentNullException.ThrowIfNull(create);
        return builder.AddAwsClient<TService, TConfig>((_, config) => create(config), configure);
    }

    /// <summary>
    /// Registers <typeparamref name="TService"/> as a singleton made by <paramref name="create"/> (which may take
    /// credentials from the service provider) from a <typeparamref name="TConfig"/> that hands out this named client.
    /// </summary>
    /// <param name="builder">The named client, wired with <c>AddProxySupport()</c>, <c>BypassGlobalProxy()</c> or <c>UseProxy(url)</c>.</param>
    /// <param name="create">Makes the service client, e.g. <c>(sp, config) =&gt; new AmazonS3Client(sp.GetRequiredService&lt;AWSCredentials&gt;(), config)</c>.</param>
    /// <param name="configure">Sets the rest of the configuration (region, endpoint, …); runs after the factory is set.</param>
    public static IHttpClientBuilder AddAwsClient<TService, TConfig>(this IHttpClientBuilder builder, Func<IServiceProvider, TConfig, TService> create, Action<TConfig>? configure = null)
        where TService : class
        where TConfig : ClientConfig, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(create);
        string name = builder.Name;
        builder.Services.AddSingleton(sp =>
        {
            var config = new TConfig { HttpClientFactory = new ProxyNetAwsHttpClientFactory(sp.GetRequiredService<IHttpClientFactory>(), name) };
            configure?.Invoke(config);
            return create(sp, config);
        });
        return builder;
    }
}
