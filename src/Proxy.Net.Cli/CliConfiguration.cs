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
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables();
        var section = builder.Build().GetSection("Proxy");
        var options = new ProxyNetOptions();
        if (section.Exists())
        {
            ProxyNetOptionsBinder.Bind(section, options);
        }

        overrides?.Invoke(options);
        return options;
    }
}
