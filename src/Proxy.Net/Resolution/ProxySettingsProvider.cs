using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyNet.Diagnostics;

namespace ProxyNet.Resolution;

/// <summary>
/// Keeps the compiled settings in step with <see cref="IOptionsMonitor{TOptions}"/>: a configuration change
/// compiles a new immutable <see cref="ProxySettings"/> that new requests pick up; requests in flight keep theirs.
/// </summary>
internal sealed class ProxySettingsProvider : IDisposable
{
    private readonly Func<string, string?> _environment;
    private readonly ILogger _logger;
    private readonly IDisposable? _subscription;
    private volatile ProxySettings _current;

    public ProxySettingsProvider(IOptionsMonitor<ProxyNetOptions> options, ILogger<ProxySettingsProvider> logger)
        : this(options, logger, Environment.GetEnvironmentVariable)
    {
    }

    internal ProxySettingsProvider(IOptionsMonitor<ProxyNetOptions> options, ILogger logger, Func<string, string?> environment)
    {
        _environment = environment;
        _logger = logger;
        _current = Compile(options.CurrentValue);
        _subscription = options.OnChange((value, name) =>
        {
            if (string.IsNullOrEmpty(name))
            {
                _current = Compile(value);
                Log.ConfigurationReloaded(_logger);
            }
        });
    }

    public ProxySettings Current => _current;

    public void Dispose() => _subscription?.Dispose();

    private ProxySettings Compile(ProxyNetOptions options)
    {
        var settings = ProxySettings.Compile(options, _environment);
        foreach (string warning in settings.Warnings)
        {
            Log.ConfigurationWarning(_logger, warning);
        }

        return settings;
    }
}
