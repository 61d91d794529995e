using System.Collections.Concurrent;
using System.Net.Sockets;
using Polly;
using Polly.CircuitBreaker;
using ProxyNet.Resolution;

namespace ProxyNet.Http;

/// <summary>
/// One circuit breaker per proxy (Polly.Core): a proxy that refuses connections is skipped for a while instead of
/// being tried by every request. Only failures that happen before the request reached the proxy count and fail
/// over, so a request body is never sent twice.
/// </summary>
internal sealed class ProxyFailover
{
    public static ProxyFailover Shared { get; } = new();

    private readonly ConcurrentDictionary<ProxyEndpoint, Breaker> _breakers = new();

    public Breaker For(ProxyEndpoint proxy) => _breakers.GetOrAdd(proxy, static _ => new Breaker());

    /// <summary>How many proxies are skipped right now (the <c>proxynet.breakers.open</c> gauge).</summary>
    public int OpenBreakers => _breakers.Values.Count(b => b.IsOpen);

    /// <summary>The proxy could not be reached or refused the tunnel: nothing of the request was sent to an origin.</summary>
    public static bool IsUnavailable(Exception e) =>
        e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.ProxyTunnelError or HttpRequestError.NameResolutionError }
        || e.InnerException is SocketException or Tunnel.ProxyTunnelException;

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
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && IsUnavailable(e)),
                OnOpened = _ =>
                {
                    IsOpen = true;
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    IsOpen = false;
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
