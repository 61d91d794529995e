using System.Net.Security;
using Microsoft.Extensions.Logging;

namespace ProxyNet.Pac;

/// <summary>
/// Keeps one PAC URL's script. The first fetch starts in the background as soon as the URL is known
/// (<see cref="Start"/>: the resolver is built); a request that needs the script before it has loaded waits for that
/// one fetch, never longer than its deadline, and no lock is held while it waits. Once
/// <see cref="PacOptions.RefreshInterval"/> has passed the script is fetched again in the background (requests keep the
/// current one meanwhile); a failed refresh keeps the last good script; while none has ever loaded the failure is
/// repeated for <see cref="PacOptions.RetryInterval"/> instead of fetching on every request. An unchanged script keeps
/// its instance, so the resolver's cache survives.
/// </summary>
internal sealed class PacLoader(string pacUrl, Func<string, RemoteCertificateValidationCallback?, Task<PacScript>> load, PacOptions options, TimeProvider time, ILogger logger)
{
    /// <summary>The origin trust for an https:// fetch, as the latest configuration set it; null for the system trust.</summary>
    public RemoteCertificateValidationCallback? OriginValidation { get; set; }

    private readonly object _gate = new();
    private volatile PacScript? _current;
    private Task<PacScript>? _firstLoad;
    private DateTimeOffset _nextRefresh;
    private (ProxyConfigurationException Error, DateTimeOffset Until)? _failure;
    private int _refreshing;

    /// <summary>Starts the first fetch in the background unless a script is loaded, a fetch is running or a failure is still fresh.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_current is null && !(_failure is { } failure && time.GetUtcNow() < failure.Until))
            {
                _firstLoad ??= Task.Run(LoadFirstAsync);
            }
        }
    }

    public PacScript Get()
    {
        var current = _current;
        if (current is not null)
        {
            if (time.GetUtcNow() >= _nextRefresh && Interlocked.Exchange(ref _refreshing, 1) == 0)
            {
                _ = Task.Run(RefreshAsync);
            }

            return current;
        }

        Task<PacScript> pending;
        lock (_gate)
        {
            if (_current is { } loaded)
            {
                return loaded;
            }

            if (_failure is { } failure && time.GetUtcNow() < failure.Until)
            {
                throw failure.Error;
            }

            pending = _firstLoad ??= Task.Run(LoadFirstAsync);
        }

        // Bounded without a timed wait of its own: the fetch ends at its deadline (a timer, PacOptions.FetchTimeout)
        // and compiling at the script's time limit. (A blocking wait with a timeout also misreads a shifted wall clock,
        // as under libfaketime.)
        return pending.GetAwaiter().GetResult();
    }

    /// <summary>Fetches and compiles now, within the fetch's deadline; the next <see cref="Get"/> sees the result.</summary>
    public void Refresh() => RefreshAsync().GetAwaiter().GetResult();

    private async Task RefreshAsync()
    {
        try
        {
            var fresh = await load(pacUrl, OriginValidation).ConfigureAwait(false);
            lock (_gate)
            {
                if (_current is null || _current.Text != fresh.Text)
                {
                    _current = fresh;
                    _failure = null;
                    Log.Loaded(logger, PacFetcher.Display(pacUrl), fresh.Text.Length);
                }
            }
        }
        catch (Exception e)
        {
            Log.RefreshFailed(logger, PacFetcher.Display(pacUrl), e is ProxyConfigurationException ? e.Message : PeerText.Escape(e.Message));
        }
        finally
        {
            _nextRefresh = time.GetUtcNow() + options.RefreshInterval;
            Volatile.Write(ref _refreshing, 0);
        }
    }

    private async Task<PacScript> LoadFirstAsync()
    {
        try
        {
            var script = await load(pacUrl, OriginValidation).ConfigureAwait(false);
            lock (_gate)
            {
                _current ??= script;
                _failure = null;
                _nextRefresh = time.GetUtcNow() + options.RefreshInterval;
                _firstLoad = null;
            }

            Log.Loaded(logger, PacFetcher.Display(pacUrl), script.Text.Length);
            return script;
        }
        catch (Exception e)
        {
            // Whatever went wrong is this URL's failure in words, repeated until the retry: never a task stuck faulted.
            var error = e as ProxyConfigurationException
                ?? new ProxyConfigurationException($"PAC {PacFetcher.Display(pacUrl)}: the script could not be loaded: {PeerText.Escape(e.Message)}");
            lock (_gate)
            {
                _failure = (error, time.GetUtcNow() + options.RetryInterval);
                _firstLoad = null;
            }

            throw error;
        }
    }
}
