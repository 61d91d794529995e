using System.Diagnostics;

namespace ProxyNet.Pac;

/// <summary>
/// What one <c>FindProxyForURL</c> call (or a script's top level) may still spend on the helpers: wall time up to
/// <see cref="PacOptions.CallTimeout"/> from its start, DNS included, and <see cref="PacOptions.MaxDnsLookups"/>
/// lookups that reach the resolver. One per engine; an engine serves one call at a time.
/// </summary>
internal sealed class CallBudget(PacOptions options)
{
    private long _deadline = long.MaxValue;

    public int Lookups { get; private set; }

    public int Alerts { get; set; }

    public PacOptions Options => options;

    /// <summary>Starts a call: the clock and the counters from zero.</summary>
    public void Begin()
    {
        _deadline = Stopwatch.GetTimestamp() + (long)(options.CallTimeout.TotalSeconds * Stopwatch.Frequency);
        Lookups = 0;
        Alerts = 0;
    }

    public TimeSpan Remaining => _deadline == long.MaxValue ? Timeout.InfiniteTimeSpan : Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), _deadline);

    /// <summary>Counts a lookup that goes to the resolver; past the limit the call ends in words.</summary>
    public void CountLookup(string host)
    {
        if (++Lookups > options.MaxDnsLookups)
        {
            throw new PacLimitException($"ran past the DNS lookup limit ({options.MaxDnsLookups} lookups in one call; the next was for \"{PeerText.Escape(host, 100)}\")");
        }
    }

    public PacLimitException TimeUp(string host) =>
        new($"ran past the time limit ({options.CallTimeout.TotalMilliseconds:0} ms) waiting for DNS (\"{PeerText.Escape(host, 100)}\")");
}

/// <summary>A helper stopped the call at a limit; the message says which, after "PAC url: FindProxyForURL(...)".</summary>
internal sealed class PacLimitException(string message) : Exception(message);
