using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using ProxyNet.Diagnostics;

namespace ProxyNet.Resolution;

/// <summary>
/// Keeps the compiled settings in step with the configuration: a change builds and validates new options (through
/// <see cref="IOptionsFactory{TOptions}"/>, so <see cref="ProxyNetOptionsValidator"/> runs) and compiles a new
/// immutable <see cref="ProxySettings"/> that new requests pick up; requests in flight keep theirs. The first
/// configuration must be valid (start-up fails, naming every bad key); a reload that fails validation is refused with
/// an error event and the last good configuration keeps serving, as YARP's configuration manager does.
/// </summary>
/// <remarks>
/// It watches the configuration's change tokens itself instead of <see cref="IOptionsMonitor{TOptions}.OnChange"/>:
/// the monitor validates inside the change callback and would throw into whoever triggered the reload.
/// </remarks>
internal sealed class ProxySettingsProvider : IDisposable
{
    private readonly IOptionsFactory<ProxyNetOptions> _factory;
    private readonly Func<string, string?> _environment;
    private readonly ILogger _logger;
    private readonly IProxyAutoConfig? _pac;
    private readonly List<IDisposable> _subscriptions = [];
    private volatile ProxySettings _current;

    public ProxySettingsProvider(IOptionsFactory<ProxyNetOptions> factory, IEnumerable<ProxyNetConfigurationSource> sources, ILogger<ProxySettingsProvider> logger, IProxyAutoConfig? pac = null)
        : this(factory, sources, logger, Environment.GetEnvironmentVariable, pac)
    {
    }

    internal ProxySettingsProvider(IOptionsFactory<ProxyNetOptions> factory, IEnumerable<ProxyNetConfigurationSource> sources, ILogger logger, Func<string, string?> environment, IProxyAutoConfig? pac = null)
    {
        _factory = factory;
        _pac = pac;
        _environment = environment;
        _logger = logger;
        _current = Compile(factory.Create(Options.DefaultName));
        foreach (var source in sources)
        {
            if (MissingSection(source.Section) is { } missing)
            {
                Log.ConfigurationWarning(_logger, missing);
            }

            _subscriptions.Add(ChangeToken.OnChange(source.Section.GetReloadToken, Reload));
        }
    }

    public ProxySettings Current => _current;

    public void Dispose()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }
    }

    private void Reload()
    {
        ProxyNetOptions options;
        try
        {
            options = _factory.Create(Options.DefaultName);
        }
        catch (OptionsValidationException e)
        {
            Log.ConfigurationRejected(_logger, string.Join("; ", e.Failures));
            return;
        }

        _current = Compile(options);
        Log.ConfigurationReloaded(_logger);

        // A reload also fetches the PAC scripts in use again (in the background: the last good script serves meanwhile).
        if (_pac is { } pac)
        {
            _ = Task.Run(pac.Refresh);
        }
    }

    /// <summary>
    /// <c>AddProxyNet(Configuration.GetSection("Proxxy"))</c> binds nothing and would leave the environment alone in
    /// charge without a word: a section that does not exist is said once, at start, naming its path.
    /// </summary>
    internal static string? MissingSection(Microsoft.Extensions.Configuration.IConfiguration section)
    {
        if (section is not Microsoft.Extensions.Configuration.IConfigurationSection named
            || Microsoft.Extensions.Configuration.ConfigurationExtensions.Exists(named))
        {
            return null;
        }

        return $"The configuration section '{PeerText.Escape(named.Path)}' given to AddProxyNet does not exist: no proxy setting is read from the configuration, only from the environment (check the section's name; CARTO's key is 'externalProxy')";
    }

    private ProxySettings Compile(ProxyNetOptions options)
    {
        var settings = ProxySettings.Compile(options, _environment, _pac, warning => Log.ConfigurationWarning(_logger, warning));
        foreach (string warning in settings.Warnings)
        {
            Log.ConfigurationWarning(_logger, warning);
        }

        return settings;
    }
}

/// <summary>A configuration section the global options are bound from, watched for reloads.</summary>
internal sealed record ProxyNetConfigurationSource(Microsoft.Extensions.Configuration.IConfiguration Section);
