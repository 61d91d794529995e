using System.Collections.Concurrent;
using Polly;
using Polly.CircuitBreaker;

namespace ProxyNet.Http;

/// <summary>
/// One circuit breaker per proxy (Polly.Core), owned by one <see cref="Resolution.ProxyResolver"/> (so by the DI
/// container or by whoever built the resolver, never by the process). A proxy that cannot be used is skipped for a
/// while instead of being tried by every request. Only <see cref="ProxyFailure.Unusable"/> failures count: a live
/// proxy's answer about one destination never opens a breaker. The map is bounded: a breaker unused for
/// <see cref="IdleTimeout"/> is removed, and past <see cref="MaxBreakers"/> proxies (PAC scripts may name any number
/// over time) the least recently used go first.
/// </summary>
internal sealed class ProxyFailover
{
    /// <summary>Proxies whose breaker is kept at most.</summary>
    internal const int MaxBreakers = 256;

    /// <summary>A breaker not used for this long is removed (its 30-second outage is long over).</summary>
    internal static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<ProxyEndpoint, Breaker> _breakers = new();
    private readonly TimeProvider _time;
    private long _nextSweep;
    private int _sweeping;

    public ProxyFailover()
        : this(TimeProvider.System)
    {
    }

    internal ProxyFailover(TimeProvider time)
    {
        _time = time;
        _nextSweep = time.GetUtcNow().UtcTicks + SweepInterval.Ticks;
    }

    /// <summary>Breakers kept now, for tests of the bound.</summary>
    internal int Count => _breakers.Count;

    public Breaker For(ProxyEndpoint proxy)
    {
        long now = _time.GetUtcNow().UtcTicks;
        var breaker = _breakers.GetOrAdd(proxy, static _ => new Breaker());
        breaker.LastUsed = now;
        if (_breakers.Count > MaxBreakers || now >= Volatile.Read(ref _nextSweep))
        {
            Sweep(now);
        }

        return breaker;
    }

    private void Sweep(long now)
    {
        if (Interlocked.Exchange(ref _sweeping, 1) == 1)
        {
            return;
        }

        try
        {
            Volatile.Write(ref _nextSweep, now + SweepInterval.Ticks);
            long idleBefore = now - IdleTimeout.Ticks;
            foreach (var (proxy, breaker) in _breakers)
            {
                if (breaker.LastUsed < idleBefore)
                {
                    Remove(proxy, breaker);
                }
            }

            if (_breakers.Count > MaxBreakers)
            {
                // Down to three quarters at once, so a flood of new names does not sweep on every request.
                foreach (var (proxy, breaker) in _breakers.OrderBy(p => p.Value.LastUsed).Take(_breakers.Count - (MaxBreakers * 3 / 4)).ToList())
                {
                    Remove(proxy, breaker);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    private void Remove(ProxyEndpoint proxy, Breaker breaker)
    {
        if (_breakers.TryRemove(new KeyValuePair<ProxyEndpoint, Breaker>(proxy, breaker)))
        {
            breaker.Retire();
        }
    }

    internal sealed class Breaker
    {
        private int _warned;

        public Breaker() => Pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = 0.5,
                MinimumThroughput = 2,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(30),
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && ProxyFailures.Classify(e) == ProxyFailure.Unusable),
                OnOpened = _ =>
                {
                    if (Interlocked.Exchange(ref _open, 1) == 0)
                    {
                        Diagnostics.ProxyNetTelemetry.OpenBreakers.Add(1);
                    }

                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    Retire();
                    Interlocked.Exchange(ref _warned, 0);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

        public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

        private int _open;

        public bool IsOpen => Volatile.Read(ref _open) == 1;

        /// <summary>When a request last asked for this breaker (UTC ticks of the failover's clock).</summary>
        public long LastUsed { get; set; }

        /// <summary>Counts this breaker as closed, once: it closed, or it left the map.</summary>
        public void Retire()
        {
            if (Interlocked.Exchange(ref _open, 0) == 1)
            {
                Diagnostics.ProxyNetTelemetry.OpenBreakers.Add(-1);
            }
        }

        /// <summary>True the first time since the breaker last closed: one warning per outage, not one per request.</summary>
        public bool ShouldWarn() => Interlocked.Exchange(ref _warned, 1) == 0;
    }
}
