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
    private readonly bool _ownsPool;
    private TransportSettings? _warnedTransport;

    internal ProxyNetHandler(ClientRoute route, RouteTransportPool pool, WarningLedger warnings, ILogger? logger, bool ownsPool)
    {
        _route = route;
        _pool = pool;
        _warnings = warnings;
        _logger = logger ?? NullLogger.Instance;
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
                catch (Exception e) when (Translate(e, request.RequestUri!, proxy) is { } translated)
                {
                    throw translated;
                }
                finally
                {
                    route?.Release();
                    request.Headers.ProxyAuthorization = null;
                    RemoveProxyHeaders(request, proxy);
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
                throw ProxyRefusal(request.RequestUri!, proxy, HttpStatusCode.ProxyAuthenticationRequired, null, offered);
            }

            if (!_route.Options.FollowRedirects || redirects >= _route.Options.MaxRedirects || !TryPrepareRedirect(request, response))
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
                    return (await SendOnAsync(request, null, plan.Transport, cancellationToken).ConfigureAwait(false), null);
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
                    static async (state, token) => await state.Handler.SendOnAsync(state.Request, state.Proxy, state.Transport, token).ConfigureAwait(false),
                    (Handler: this, Request: request, Proxy: proxy, plan.Transport),
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

        throw new HttpRequestException(
            HttpRequestError.ProxyTunnelError,
            $"No proxy could be reached for {Redaction.Url(request.RequestUri!)}: tried {string.Join(", ", decision.Candidates.Select(c => c.Proxy?.Address ?? "DIRECT"))}",
            last);
    }

    /// <summary>
    /// Sends on one route. A <c>Proxy-Authorization</c> header is the transport's answer to one proxy's 407: it is
    /// removed before and after, so it never reaches another proxy, a redirect's next hop or an origin. Every failure
    /// leaves as an <see cref="HttpRequestException"/> that says what happened in words.
    /// </summary>
    private async Task<HttpResponseMessage> SendOnAsync(HttpRequestMessage request, ProxyEndpoint? proxy, TransportSettings? transport, CancellationToken cancellationToken)
    {
        RouteTransportPool.Route? route = null;
        request.Headers.ProxyAuthorization = null;
        try
        {
            return await Start(request, proxy, transport, out route, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Translate(e, request.RequestUri!, proxy) is { } translated)
        {
            throw translated;
        }
        finally
        {
            route?.Release();
            request.Headers.ProxyAuthorization = null;
            RemoveProxyHeaders(request, proxy);
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
            AddProxyHeaders(request, proxy);
        }

        route = _pool.Acquire(proxy, transport, tunnel);
        return route.Invoker.SendAsync(request, cancellationToken);
    }

    /// <summary>HTTP/2 without TLS: a proxy cannot forward it in absolute form, so it goes through a CONNECT tunnel.</summary>
    private static bool IsH2c(HttpRequestMessage request) =>
        request.RequestUri!.Scheme is "http" or "ws" && request.Version.Major >= 2 && request.VersionPolicy != HttpVersionPolicy.RequestVersionOrLower;

    /// <summary>
    /// The proxy's own headers on an absolute-form request, each listed in <c>Connection</c>: hop-by-hop, so the proxy
    /// removes them before it forwards the request. Taken off again by <see cref="RemoveProxyHeaders"/> after the send.
    /// </summary>
    private static void AddProxyHeaders(HttpRequestMessage request, ProxyEndpoint proxy)
    {
        foreach (var (name, value) in proxy.Headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
            request.Headers.Connection.Add(name);
        }
    }

    private static void RemoveProxyHeaders(HttpRequestMessage request, ProxyEndpoint? proxy)
    {
        if (proxy is not { Headers.Count: > 0 })
        {
            return;
        }

        foreach (var (name, _) in proxy.Headers)
        {
            request.Headers.Remove(name);
            request.Headers.Connection.Remove(name);
        }
    }

    /// <summary>The exception the caller sees, or null to let <paramref name="e"/> through as it is.</summary>
    private HttpRequestException? Translate(Exception e, Uri uri, ProxyEndpoint? proxy)
    {
        if (e is OperationCanceledException || (e is not HttpRequestException && e is not IOException && e is not FormatException))
        {
            return null;
        }

        if (ProxyFailures.Find<CertificateTrustException>(e) is { } trust)
        {
            // The validation callback put the reason in words: which certificate, what is wrong, what to add.
            Log.TlsTrustFailure(_logger, Redaction.Url(uri), trust.Message);
            return new HttpRequestException(HttpRequestError.SecureConnectionError, $"TLS: {trust.Message}", e);
        }

        if (proxy is null)
        {
            return e is FormatException ? null : e as HttpRequestException ?? new HttpRequestException(HttpRequestError.Unknown, e.Message, e);
        }

        if (e is FormatException && !proxy.IsSocks && (proxy.Credentials is not null || proxy.Login.UseDefaultCredentials))
        {
            // SocketsHttpHandler's own login read a continuation it cannot decode: squid 5 writes a second
            // Negotiate/NTLM leg as "Negotiate token=BLOB". Proxy.Net's login engine reads it on a CONNECT tunnel.
            // Without a login to offer, the runtime never answers a challenge: the FormatException is no login's.
            ProxyNetTelemetry.CountFailure("auth");
            return new HttpRequestException(
                HttpRequestError.UserAuthenticationError,
                $"Proxy {proxy} sent a login challenge that .NET's HTTP stack cannot read for {uri.IdnHost}:{uri.Port} (a multi-leg Negotiate/NTLM answer such as squid 5's 'Negotiate token=…'): set AlwaysTunnel on this client, so Proxy.Net logs in by CONNECT with its own login engine.",
                e,
                HttpStatusCode.ProxyAuthenticationRequired);
        }

        var kind = ProxyFailures.Classify(e);
        if (ProxyFailures.Find<Tunnel.ProxyTunnelException>(e) is { } tunnel)
        {
            // A tunnel opened by Proxy.Net (HTTPS proxies, FTP): its message already names proxy, target and answer,
            // and ProxyTunnel has counted the failure.
            return new HttpRequestException(HttpRequestError.ProxyTunnelError, tunnel.Message, e, tunnel.StatusCode);
        }

        if (kind == ProxyFailure.Refused)
        {
            return ProxyRefusal(uri, proxy, ProxyFailures.RefusalStatus(e), e);
        }

        return e as HttpRequestException ?? new HttpRequestException(kind == ProxyFailure.Unusable ? HttpRequestError.ConnectionError : HttpRequestError.Unknown, e.Message, e);
    }

    /// <summary>A live proxy's answer about this destination: the request's failure, never a reason to fail over.</summary>
    private HttpRequestException ProxyRefusal(Uri uri, ProxyEndpoint proxy, HttpStatusCode? status, Exception? inner, IReadOnlyList<string>? offered = null)
    {
        string destination = $"{uri.IdnHost}:{uri.Port}";
        if (status == HttpStatusCode.ProxyAuthenticationRequired)
        {
            ProxyNetTelemetry.CountFailure("auth");
            Log.ProxyAuthenticationFailed(_logger, proxy.Address, Redaction.Url(uri));
            return new HttpRequestException(LoginFailure(proxy, destination, offered), inner, HttpStatusCode.ProxyAuthenticationRequired);
        }

        ProxyNetTelemetry.CountFailure("refused");
        string answer = status is { } code ? $"{(int)code} {ReasonOf(code)}" : "a refusal";
        string hint = status == HttpStatusCode.Forbidden ? " (the proxy's policy forbids it)" : status is HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout or HttpStatusCode.ServiceUnavailable ? " (the proxy could not reach it)" : string.Empty;
        return new HttpRequestException(
            HttpRequestError.ProxyTunnelError,
            $"Proxy {proxy} answered {answer} for {destination}{hint}",
            inner,
            status);
    }

    /// <summary>
    /// A 407 on the plain-HTTP path (SocketsHttpHandler logged in) in the login engine's words: what the proxy offered,
    /// what was tried as whom, and why it failed.
    /// </summary>
    private static string LoginFailure(ProxyEndpoint proxy, string destination, IReadOnlyList<string>? offered)
    {
        string list = offered is { Count: > 0 } ? string.Join(", ", offered) : "no scheme it names";
        string? user = proxy.Credentials?.UserName ?? (proxy.Login.UseDefaultCredentials ? "the current user" : null);
        if (user is null)
        {
            return $"Proxy {proxy} requires authentication (407) for {destination} and no credentials are configured for it: it offered {list}.";
        }

        string? tried = proxy.Login.SchemeNames().FirstOrDefault(n => offered?.Contains(n, StringComparer.OrdinalIgnoreCase) == true);
        string shown = proxy.Credentials is null ? user : $"user '{user}'";
        string prefix = proxy.Credentials is null
            ? $"Proxy {proxy} rejected the login of {shown} (407 Proxy Authentication Required) for {destination}"
            : $"Proxy {proxy} rejected the credentials for user '{user}' (407 Proxy Authentication Required) for {destination}";
        if (tried is null)
        {
            return $"{prefix}: it offered {list}, and none of them is allowed by AuthSchemes ({string.Join(", ", proxy.Login.SchemeNames())}).";
        }

        string why = proxy.Credentials is not null
            ? "wrong password or unknown user"
            : tried is "Negotiate" or "NTLM" ? "no Kerberos ticket (run kinit), an expired one, or gss-ntlmssp missing for NTLM" : "no password to send";
        return $"{prefix}: it offered {list}; tried {tried} as {shown}; the proxy rejected the {tried} login of {shown} ({why}).";
    }

    private static string ReasonOf(HttpStatusCode code) => code switch
    {
        HttpStatusCode.Forbidden => "Forbidden",
        HttpStatusCode.BadGateway => "Bad Gateway",
        HttpStatusCode.ServiceUnavailable => "Service Unavailable",
        HttpStatusCode.GatewayTimeout => "Gateway Timeout",
        _ => code.ToString(),
    };

    private bool TryPrepareRedirect(HttpRequestMessage request, HttpResponseMessage response)
    {
        int status = (int)response.StatusCode;
        if (status is not (301 or 302 or 303 or 307 or 308) || response.Headers.Location is not { } location)
        {
            return false;
        }

        var from = request.RequestUri!;
        var to = location.IsAbsoluteUri ? location : new Uri(from, location);
        if (to.Scheme is not ("http" or "https") || (from.Scheme == "https" && to.Scheme == "http"))
        {
            return false;
        }

        if (status == 303 && request.Method != HttpMethod.Head || status is 301 or 302 && request.Method == HttpMethod.Post)
        {
            request.Method = HttpMethod.Get;
            request.Content = null;
            request.Headers.TransferEncodingChunked = false;
        }

        // Credentials meant for one origin are not handed to another (curl since CVE-2022-27776): a redirect to a
        // different scheme, host or port drops Authorization and Cookie; a redirect within the origin keeps them.
        if (Uri.Compare(from, to, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            request.Headers.Authorization = null;
            request.Headers.Remove("Cookie");
        }

        request.RequestUri = to;
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            Log.Redirected(_logger, status, Redaction.Url(from), Redaction.Url(to));
        }

        return true;
    }

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
