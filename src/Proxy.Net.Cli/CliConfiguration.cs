using Microsoft.Extensions.Configuration;
using ProxyNet.Resolution;

namespace ProxyNet.Cli;

/// <summary>
/// The configuration proxynet resolves with: <c>--config FILE</c> (a top-level <c>Proxy</c> object), then
/// <c>Proxy__*</c> environment variables, over the proxy environment variables (semantics, section 6).
/// </summary>
internal static class CliConfiguration
{
    public static ProxyResolver CreateResolver(string? configFile, Action<ProxyNetOptions>? overrides = null) =>
        ProxyResolver.Create(CreateOptions(configFile, overrides));

    public static ProxyNetOptions CreateOptions(string? configFile, Action<ProxyNetOptions>? overrides = null)
    {
        var options = new ProxyNetOptions();
        bool dunder = Environment.GetEnvironmentVariables().Keys.Cast<string>().Any(k => k.StartsWith("Proxy__", StringComparison.OrdinalIgnoreCase));
        if (configFile is null && !dunder)
        {
            // Nothing but the proxy variables: skip the configuration stack (its start-up cost shows in a short run).
            overrides?.Invoke(options);
            return options;
        }

        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables();
        var section = builder.Build().GetSection("Proxy");
        if (section.Exists())
        {
            ProxyNetOptionsBinder.Bind(section, options);
        }

        overrides?.Invoke(options);
        return options;
    }
}
