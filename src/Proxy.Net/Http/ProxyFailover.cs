using System.Collections.Concurrent;
using Polly;
using Polly.CircuitBreaker;

namespace ProxyNet.Http;

/// <summary>
/// One circuit breaker per proxy (Polly.Core), owned by one <see cref="Resolution.ProxyResolver"/> (so by the DI
/// container or by whoever built the resolver, never by the process). A proxy that cannot be used is skipped for a
/// while instead of being tried by every request. Only <see cref="ProxyFailure.Unusable"/> failures count: a live
/// proxy's answer about one destination never opens a breaker.
/// </summary>
internal sealed class ProxyFailover
{
    private readonly ConcurrentDictionary<ProxyEndpoint, Breaker> _breakers = new();

    public Breaker For(ProxyEndpoint proxy) => _breakers.GetOrAdd(proxy, static _ => new Breaker());

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
                    IsOpen = true;
                    Diagnostics.ProxyNetTelemetry.OpenBreakers.Add(1);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    IsOpen = false;
                    Diagnostics.ProxyNetTelemetry.OpenBreakers.Add(-1);
                    Interlocked.Exchange(ref _warned, 0);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

        public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

        public bool IsOpen { get; private set; }

        /// <summary>True the first time since the breaker last closed: one warning per outage, not one per request.</summary>
        public bool ShouldWarn() => Interlocked.Exchange(ref _warned, 1) == 0;
    }
}
