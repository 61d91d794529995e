using Microsoft.Extensions.Configuration;
using ProxyNet.Resolution;

namespace ProxyNet.Configuration;

/// <summary>
/// Builds <see cref="ProxyNetOptions"/> and a <see cref="ProxyResolver"/> from configuration layers and code, for
/// tools that have no dependency-injection container (the <c>proxynet</c> command is built on it). Layers apply in
/// the order they are added, key by key: a later <c>Proxy</c> section wins over an earlier one, and
/// <see cref="Configure"/> wins over every section (command-line flags). What all of them leave unset comes from the
/// proxy environment variables (<c>HTTP_PROXY</c>, <c>NO_PROXY</c>, …) when <see cref="ProxyNetOptions.UseEnvironment"/> is true.
/// </summary>
/// <example>
/// <code>
/// var env = new ConfigurationBuilder().AddEnvironmentVariables().Build().GetSection("Proxy");
/// var file = new ConfigurationBuilder().AddJsonFile("proxy.json").Build().GetSection("Proxy");
/// var resolver = new ProxyNetBuilder()
///     .AddConfiguration(env)                        // Proxy__* variables
///     .AddConfiguration(file)                       // beat the variables
///     .Configure(o => o.HttpProxy = flagValue)      // beats both
///     .BuildResolver();
/// using var client = new HttpClient(ProxyNetHandler.Create(resolver));
/// </code>
/// </example>
public sealed class ProxyNetBuilder
{
    private readonly List<IConfiguration> _sections = [];
    private readonly List<Action<ProxyNetOptions>> _overrides = [];

    /// <summary>Adds a <c>Proxy</c> section (CARTO or .NET key names, as <c>AddProxyNet(section)</c> reads them) over those added before.</summary>
    public ProxyNetBuilder AddConfiguration(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        _sections.Add(section);
        return this;
    }

    /// <summary>Changes the options after every configuration section is applied: the place for command-line flags.</summary>
    public ProxyNetBuilder Configure(Action<ProxyNetOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _overrides.Add(configure);
        return this;
    }

    /// <summary>
    /// The options: every section in order, then every <see cref="Configure"/> action. A value that cannot be read
    /// (<c>Enabled: "no"</c>) is not defaulted: a resolver built from these options fails every request naming the key.
    /// </summary>
    public ProxyNetOptions BuildOptions()
    {
        var options = new ProxyNetOptions();
        var errors = new List<string>();
        foreach (var section in _sections)
        {
            ProxyNetOptionsBinder.Bind(section, options);
            errors.AddRange(options.BindingErrors);
        }

        options.BindingErrors.Clear();
        options.BindingErrors.AddRange(errors);
        foreach (var configure in _overrides)
        {
            configure(options);
        }

        return options;
    }

    /// <summary>A resolver over <see cref="BuildOptions"/>; pass it to <c>ProxyNetHandler.Create</c> for a client that routes the same way.</summary>
    public ProxyResolver BuildResolver() => ProxyResolver.Create(BuildOptions());
}
