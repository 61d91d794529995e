using Microsoft.Extensions.Logging;

namespace ProxyNet.Pac;

/// <summary>
/// Keeps one PAC URL's script: loads it on first use, fetches it again once <see cref="PacOptions.RefreshInterval"/>
/// has passed (in the background; requests keep the current script meanwhile), keeps the last good script when a
/// refresh fails, and while none has ever loaded repeats the failure for <see cref="PacOptions.RetryInterval"/>
/// instead of fetching on every request. An unchanged script keeps its instance, so the resolver's cache survives.
/// </summary>
internal sealed class PacLoader(string pacUrl, Func<string, System.Net.Security.RemoteCertificateValidationCallback?, PacScript> load, PacOptions options, TimeProvider time, ILogger logger)
{
    /// <summary>The origin trust for an https:// fetch, as the latest configuration set it; null for the system trust.</summary>
    public System.Net.Security.RemoteCertificateValidationCallback? OriginValidation { get; set; }

    private readonly object _gate = new();
    private volatile PacScript? _current;
    private DateTimeOffset _nextRefresh;
    private (ProxyConfigurationException Error, DateTimeOffset Until)? _failure;
    private int _refreshing;

    public PacScript Get()
    {
        var current = _current;
        if (current is null)
        {
            return LoadFirst();
        }

        if (time.GetUtcNow() >= _nextRefresh && Interlocked.Exchange(ref _refreshing, 1) == 0)
        {
            _ = Task.Run(Refresh);
        }

        return current;
    }

    /// <summary>Fetches and compiles now; the next <see cref="Get"/> sees the result.</summary>
    public void Refresh()
    {
        try
        {
            var fresh = load(pacUrl, OriginValidation);
            lock (_gate)
            {
                if (_current is null || _current.Text != fresh.Text)
                {
                    _current = fresh;
                    Log.Loaded(logger, PacFetcher.Display(pacUrl), fresh.Text.Length);
                }
            }
        }
        catch (ProxyConfigurationException e)
        {
            Log.RefreshFailed(logger, PacFetcher.Display(pacUrl), e.Message);
        }
        finally
        {
            _nextRefresh = time.GetUtcNow() + options.RefreshInterval;
            Volatile.Write(ref _refreshing, 0);
        }
    }

    private PacScript LoadFirst()
    {
        lock (_gate)
        {
            if (_current is { } loaded)
            {
                return loaded;
            }

            var now = time.GetUtcNow();
            if (_failure is { } failure && now < failure.Until)
            {
                throw failure.Error;
            }

            try
            {
                var script = load(pacUrl, OriginValidation);
                _current = script;
                _failure = null;
                _nextRefresh = now + options.RefreshInterval;
                Log.Loaded(logger, PacFetcher.Display(pacUrl), script.Text.Length);
                return script;
            }
            catch (ProxyConfigurationException e)
            {
                _failure = (e, now + options.RetryInterval);
                throw;
            }
        }
    }
}
