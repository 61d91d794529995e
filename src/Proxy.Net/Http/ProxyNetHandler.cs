using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProxyNet.Diagnostics;
using ProxyNet.Resolution;
using ProxyNet.Tls;

namespace ProxyNet.Http;

/// <summary>
/// The primary handler of a proxied client. For every hop of a request it decides the route once (per-request
/// override, else the client's mode, else the global resolver), checks it against the egress policy, logs and counts
/// it, and sends the request on that route's connection pool, failing over between listed proxies. It follows
/// redirects itself, so each hop is routed on its own: a redirect from a proxied host to a NO_PROXY host goes DIRECT.
/// Nothing a hop decided or answered (its candidate, a <c>Proxy-Authorization</c> answer to a 407) outlives the hop.
/// </summary>
/// <example>
/// Without dependency injection:
/// <code>
/// using var client = new HttpClient(ProxyNetHandler.Create(ProxyResolver.FromEnvironment()));
/// </code>
/// </example>
public sealed class ProxyNetHandler : HttpMessageHandler
{
    private readonly ClientRoute _route;
    private readonly RouteTransportPool _pool;
    private readonly WarningLedger _warnings;
    private readonly ILogger _logger;
    private readonly ProxyErrors _errors;
    private readonly bool _ownsPool;
    private TransportSettings? _warnedTransport;

    internal ProxyNetHandler(ClientRoute route, RouteTransportPool pool, WarningLedger warnings, ILogger? logger, bool ownsPool)
    {
        _route = route;
        _pool = pool;
        _warnings = warnings;
        _logger = logger ?? NullLogger.Instance;
        _errors = new ProxyErrors(_logger);
        _ownsPool = ownsPool;
    }

    /// <summary>A ready handler with its own connection pools and proxy breakers, for use without dependency injection.</summary>
    public static HttpMessageHandler Create(ProxyResolver? resolver = null, ProxyClientOptions? client = null, ILogger? logger = null) =>
        Create(resolver, client, logger, TransportSettings.Default);

    internal static ProxyNetHandler Create(ProxyResolver? resolver, ProxyClientOptions? client, ILogger? logger, TransportSettings transport)
    {
        var route = new ClientRoute(resolver ?? ProxyResolver.FromEnvironment(), client ?? new ProxyClientOptions(), new ProxyFailover());
        return new ProxyNetHandler(route, new RouteTransportPool(transport), new WarningLedger(), logger, ownsPool: true);
    }

    /// <summary>The route this handler would take for <paramref name="request"/>, with its reason.</summary>
    public ProxyDecision Decide(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no RequestUri.");
        return _route.Plan(uri, OverrideOf(request)).Decision;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        _ = request.RequestUri ?? throw new InvalidOperationException("The request has no RequestUri.");
        var overridden = OverrideOf(request);
        int redirects = 0;
        while (true)
        {
            var plan = Route(request, overridden);
            // One proxy (or DIRECT) needs no failover state: the common path awaits one method less.
            ProxyEndpoint? proxy = plan.Decision.Proxy;
            HttpResponseMessage response;
            if (plan.Decision.Candidates.Count <= 1)
            {
                // SendOnAsync inlined: one state machine per request fewer (the handler benchmark counts the bytes).
                RouteTransportPool.Route? route = null;
                request.Headers.ProxyAuthorization = null;
                try
                {
                    response = await Start(request, proxy, plan.Transport, out route, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (_errors.Translate(e, request.RequestUri!, proxy, plan.Decision.Reason) is { } translated)
                {
                    throw await _errors.CompleteAsync(translated, e, request.RequestUri!, proxy, plan.Decision.Reason, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    route?.Release();
                    request.Headers.ProxyAuthorization = null;
                    ProxyHeaderHygiene.Remove(request, proxy);
                }
            }
            else
            {
                (response, proxy) = await SendWithFailoverAsync(request, plan, cancellationToken).ConfigureAwait(false);
            }
            if (response.StatusCode == HttpStatusCode.ProxyAuthenticationRequired && proxy is not null)
            {
                string[] offered = [.. response.Headers.ProxyAuthenticate.Select(h => h.Scheme).Distinct(StringComparer.OrdinalIgnoreCase)];
                response.Dispose();
                throw _errors.Refusal(request.RequestUri!, proxy, plan.Decision.Reason, HttpStatusCode.ProxyAuthenticationRequired, null, offered);
            }

            if (!_route.Options.FollowRedirects || redirects >= _route.Options.MaxRedirects || !RedirectPolicy.TryPrepare(request, response, _logger))
            {
                return response;
            }

            redirects++;
            response.Dispose();
        }
    }

    private static ProxyDecision? OverrideOf(HttpRequestMessage request) =>
        request.Options.TryGetValue(ProxyRequestExtensions.OverrideKey, out var overridden) ? overridden.Decision : null;

    /// <summary>Decides one hop: the only place a route is made. Egress, logs, metrics and the socket all use this plan.</summary>
    private RoutePlan Route(HttpRequestMessage request, ProxyDecision? overridden)
    {
        var uri = request.RequestUri!;
        var plan = _route.Plan(uri, overridden);
        var decision = plan.Decision;
        if (decision.IsError)
        {
            Log.ConfigurationError(_logger, Redaction.Url(uri), decision.Error!);
            throw new ProxyConfigurationException(decision.Error!);
        }

        // A DIRECT among several candidates (a PAC answer) is judged when its turn comes.
        if (decision.IsDirect && decision.Candidates.Count <= 1 && EgressRefusal(plan, uri, decision) is { } refused)
        {
            throw refused;
        }

        WarnIfDangerous(plan.Transport);
        ProxyNetTelemetry.CountRequest(decision.Proxy is null ? "direct" : "proxy", uri.Scheme);
        using var activity = ProxyNetTelemetry.Source.StartActivity("ProxyNet.Route");
        activity?.SetTag("proxynet.route", decision.Proxy?.Address ?? "DIRECT");
        activity?.SetTag("proxynet.reason", decision.Reason);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            Log.RouteDecided(_logger, request.Method.Method, Redaction.Url(uri), decision.Proxy?.Address ?? "DIRECT", decision.Reason);
        }

        return plan;
    }

    private ProxyEgressRefusedException? EgressRefusal(RoutePlan plan, Uri uri, ProxyDecision decision)
    {
        var refused = EgressPolicy.Refusal(plan, uri, decision);
        if (refused is not null)
        {
            Log.EgressRefused(_logger, Redaction.Url(uri), decision.Reason);
        }

        return refused;
    }

    /// <summary>An accept-any-certificate switch is logged once per client and configuration, not per request or handler.</summary>
    private void WarnIfDangerous(TransportSettings? transport)
    {
        transport ??= _pool.DefaultSettings;
        if (ReferenceEquals(transport, _warnedTransport))
        {
            return;
        }

        _warnedTransport = transport;
        if (transport.IsDangerous && _warnings.First($"{_route.Name}|{transport.Fingerprint}"))
        {
            Log.DangerousCertificateAcceptance(_logger, _route.Name, transport.DangerousAcceptAnyOriginCertificate ? "origin" : "proxy");
        }
    }

    /// <summary>Sends one hop through several proxies: each in order, past those whose breaker is open.</summary>
    private async Task<(HttpResponseMessage Response, ProxyEndpoint? Proxy)> SendWithFailoverAsync(HttpRequestMessage request, RoutePlan plan, CancellationToken cancellationToken)
    {
        var decision = plan.Decision;

        Exception? last = null;
        foreach (var candidate in decision.Candidates)
        {
            if (candidate.Proxy is null)
            {
                if (EgressRefusal(plan, request.RequestUri!, candidate) is { } refused)
                {
                    last = refused;
                    continue;
                }

                try
                {
                    return (await SendOnAsync(request, null, decision.Reason, plan.Transport, cancellationToken).ConfigureAwait(false), null);
                }
                catch (HttpRequestException e) when (ProxyFailures.Classify(e) == ProxyFailure.Unusable)
                {
                    last = e;
                    continue;
                }
            }

            var proxy = candidate.Proxy;
            var breaker = _route.Failover.For(proxy);
            try
            {
                var response = await breaker.Pipeline.ExecuteAsync(
                    static async (state, token) => await state.Handler.SendOnAsync(state.Request, state.Proxy, state.Reason, state.Transport, token).ConfigureAwait(false),
                    (Handler: this, Request: request, Proxy: proxy, decision.Reason, plan.Transport),
                    cancellationToken).ConfigureAwait(false);
                return (response, proxy);
            }
            catch (Polly.CircuitBreaker.BrokenCircuitException e)
            {
                Log.ProxySkipped(_logger, proxy.Address);
                last ??= e;
            }
            catch (HttpRequestException e) when (ProxyFailures.Classify(e) == ProxyFailure.Unusable)
            {
                if (breaker.ShouldWarn())
                {
                    Log.ProxyFailover(_logger, proxy.Address, e.Message);
                }

                last = e;
            }
        }

        string lastWords = last is not null && (last.Data.Contains(ProxyFailures.ExplainedKey) || last is ProxyEgressRefusedException) ? $"; the last: {last.Message}" : string.Empty;
        throw ProxyFailures.Explain(new HttpRequestException(
            HttpRequestError.ProxyTunnelError,
            $"No proxy could be reached for {Redaction.Url(request.RequestUri!)} ({Tunnel.ProxyReachability.Short(decision.Reason)}): tried {string.Join(", ", decision.Candidates.Select(c => c.Proxy?.Address ?? "DIRECT"))}{lastWords}",
            last));
    }

    /// <summary>
    /// Sends on one route. A <c>Proxy-Authorization</c> header is the transport's answer to one proxy's 407: it is
    /// removed before and after, so it never reaches another proxy, a redirect's next hop or an origin. Every failure
    /// leaves as an <see cref="HttpRequestException"/> that says what happened in words.
    /// </summary>
    private async Task<HttpResponseMessage> SendOnAsync(HttpRequestMessage request, ProxyEndpoint? proxy, string reason, TransportSettings? transport, CancellationToken cancellationToken)
    {
        RouteTransportPool.Route? route = null;
        request.Headers.ProxyAuthorization = null;
        try
        {
            return await Start(request, proxy, transport, out route, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (_errors.Translate(e, request.RequestUri!, proxy, reason) is { } translated)
        {
            throw await _errors.CompleteAsync(translated, e, request.RequestUri!, proxy, reason, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            route?.Release();
            request.Headers.ProxyAuthorization = null;
            ProxyHeaderHygiene.Remove(request, proxy);
        }
    }

    /// <summary>
    /// Starts the send on one route: the FTP client for <c>ftp://</c>, else the route's pool, which stays held
    /// (<paramref name="route"/>) until the caller releases it, so a sweep never disposes a handler under a send.
    /// </summary>
    private Task<HttpResponseMessage> Start(HttpRequestMessage request, ProxyEndpoint? proxy, TransportSettings? transport, out RouteTransportPool.Route? route, CancellationToken cancellationToken)
    {
        if (request.RequestUri!.Scheme == "ftp")
        {
            route = null;
            var connector = new Ftp.FtpConnector(proxy, RouteTransportPool.TunnelOptions(proxy, transport ?? _pool.DefaultSettings));
            return Ftp.FtpTransport.SendAsync(request, connector, _route.Options.FtpCredentials, cancellationToken);
        }

        // SocketsHttpHandler's own CONNECT cannot carry ProxyHeaders: a route with them tunnels through ProxyTunnel.
        bool plain = request.RequestUri.Scheme is "http" or "ws";
        bool tunnel = _route.Options.AlwaysTunnel || IsH2c(request) || (!plain && proxy is { Headers.Count: > 0 });
        if (!tunnel && plain && proxy is { Scheme: "http", Headers.Count: > 0 })
        {
            ProxyHeaderHygiene.Add(request, proxy);
        }

        route = _pool.Acquire(proxy, transport, tunnel);
        return route.Invoker.SendAsync(request, cancellationToken);
    }

    /// <summary>HTTP/2 without TLS: a proxy cannot forward it in absolute form, so it goes through a CONNECT tunnel.</summary>
    private static bool IsH2c(HttpRequestMessage request) =>
        request.RequestUri!.Scheme is "http" or "ws" && request.Version.Major >= 2 && request.VersionPolicy != HttpVersionPolicy.RequestVersionOrLower;

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsPool)
        {
            _pool.Dispose();
        }

        base.Dispose(disposing);
    }
}
