using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProxyNet.DependencyInjection;
using ProxyNet.Diagnostics;
using ProxyNet.Resolution;

namespace ProxyNet.Http;

/// <summary>
/// Decides the route of every request (per-request override, then the client's mode, then the global
/// resolver), records it for the primary handler, and follows redirects itself so that each hop is
/// routed on its own: a redirect from a proxied host to a NO_PROXY host goes DIRECT.
/// </summary>
/// <example>
/// Without dependency injection:
/// <code>
/// using var client = new HttpClient(ProxyNetHandler.Create(ProxyResolver.FromEnvironment()));
/// </code>
/// </example>
public sealed class ProxyNetHandler : DelegatingHandler
{
    private readonly ClientRoute _route;
    private readonly ILogger _logger;

    /// <summary>Creates the handler; the inner handler must be the library's route transport (see <see cref="Create(ProxyResolver?, ProxyClientOptions?, ILogger?)"/>).</summary>
    public ProxyNetHandler(ProxyResolver resolver, ProxyClientOptions? client = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        _route = new ClientRoute(resolver, client ?? new ProxyClientOptions());
        _logger = logger ?? NullLogger.Instance;
        WarnIfDangerous();
    }

    internal ProxyNetHandler(ClientRoute route, ILogger? logger)
    {
        _route = route;
        _logger = logger ?? NullLogger.Instance;
        WarnIfDangerous();
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Warned = new();

    /// <summary>An accept-any-certificate switch is logged once per client and setting, not on every handler rotation.</summary>
    private void WarnIfDangerous()
    {
        if (_route.Transport is { IsDangerous: true } transport && Warned.TryAdd($"{_route.Name}|{transport.Fingerprint}", true))
        {
            Log.DangerousCertificateAcceptance(
                _logger,
                _route.Name,
                transport.DangerousAcceptAnyOriginCertificate ? "origin" : "proxy");
        }
    }

    /// <summary>A ready handler pipeline with its own connection pools, for use without dependency injection.</summary>
    public static HttpMessageHandler Create(ProxyResolver? resolver = null, ProxyClientOptions? client = null, ILogger? logger = null) =>
        Create(resolver, client, logger, Tls.TransportSettings.Default);

    internal static HttpMessageHandler Create(ProxyResolver? resolver, ProxyClientOptions? client, ILogger? logger, Tls.TransportSettings transport)
    {
        var route = new ClientRoute(resolver ?? ProxyResolver.FromEnvironment(), client ?? new ProxyClientOptions());
        return new ProxyNetHandler(route, logger)
        {
            InnerHandler = new RouteTransportHandler(new RouteTransportPool(transport), route, ownsPool: true),
        };
    }

    /// <summary>The route this handler would take for <paramref name="request"/>, with its reason.</summary>
    public ProxyDecision Decide(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Decide(request, out _);
    }

    private ProxyDecision Decide(HttpRequestMessage request, out bool forced)
    {
        forced = request.Options.TryGetValue(ProxyRequestExtensions.OverrideKey, out var overridden);
        return forced
            ? overridden!.Decision
            : _route.Decide(request.RequestUri ?? throw new InvalidOperationException("The request has no RequestUri."));
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        int redirects = 0;
        while (true)
        {
            var decision = Route(request);
            HttpResponseMessage response;
            try
            {
                response = decision.Candidates.Count > 1
                    ? await SendWithFailoverAsync(request, decision, cancellationToken).ConfigureAwait(false)
                    : await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.SecureConnectionError && Tls.TlsFailures.TryTake(request.RequestUri!.IdnHost, out string? failure))
            {
                // The validation callback put the reason in words: which certificate, what is wrong, what to add.
                Log.TlsTrustFailure(_logger, Display(request.RequestUri!), failure!);
                throw new HttpRequestException(HttpRequestError.SecureConnectionError, $"TLS: {failure}", e);
            }
            catch (HttpRequestException e) when (e.InnerException is Tunnel.ProxyTunnelException tunnel)
            {
                // A tunnel opened by the transport itself (HTTPS proxies): its message says what the proxy did.
                throw new HttpRequestException(e.HttpRequestError, tunnel.Message, e, tunnel.StatusCode);
            }

            if (response.StatusCode == HttpStatusCode.ProxyAuthenticationRequired && decision.Proxy is { } proxy)
            {
                response.Dispose();
                ProxyNetTelemetry.CountFailure("auth");
                Log.ProxyAuthenticationFailed(_logger, proxy.Address, Display(request.RequestUri!));
                throw new HttpRequestException(
                    proxy.Credentials is null
                        ? $"Proxy {proxy} requires authentication (407) and no credentials are configured for it."
                        : $"Proxy {proxy} rejected the credentials for user '{proxy.Credentials.UserName}' (407 Proxy Authentication Required).",
                    null,
                    HttpStatusCode.ProxyAuthenticationRequired);
            }

            if (!_route.Options.FollowRedirects || redirects >= _route.Options.MaxRedirects || !TryPrepareRedirect(request, response))
            {
                return response;
            }

            redirects++;
            response.Dispose();
        }
    }

    /// <summary>Tries each listed proxy in order, skipping those whose breaker is open.</summary>
    private async Task<HttpResponseMessage> SendWithFailoverAsync(HttpRequestMessage request, ProxyDecision decision, CancellationToken cancellationToken)
    {
        Exception? last = null;
        foreach (var candidate in decision.Candidates)
        {
            var proxy = candidate.Proxy!;
            var breaker = ProxyFailover.Shared.For(proxy);
            request.Options.Set(ProxyRequestExtensions.DecisionKey, candidate);
            try
            {
                return await breaker.Pipeline.ExecuteAsync(
                    async (state, token) => await state.Handler.BaseSendAsync(state.Request, token).ConfigureAwait(false),
                    (Handler: this, Request: request),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Polly.CircuitBreaker.BrokenCircuitException e)
            {
                Log.ProxySkipped(_logger, proxy.Address);
                last ??= e;
            }
            catch (HttpRequestException e) when (ProxyFailover.IsUnavailable(e))
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
            $"No proxy could be reached for {Display(request.RequestUri!)}: tried {string.Join(", ", decision.Candidates.Select(c => c.Proxy!.Address))}",
            last);
    }

    private Task<HttpResponseMessage> BaseSendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);

    private ProxyDecision Route(HttpRequestMessage request)
    {
        var decision = Decide(request, out bool forced);
        if (decision.IsError)
        {
            Log.ConfigurationError(_logger, Display(request.RequestUri!), decision.Error!);
            throw new ProxyConfigurationException(decision.Error!);
        }

        if (decision.IsDirect && _route.Egress is { } egress && egress.Match(request.RequestUri!) is null)
        {
            ProxyNetTelemetry.CountRequest("refused", request.RequestUri!.Scheme);
            Log.EgressRefused(_logger, Display(request.RequestUri!), decision.Reason);
            throw new ProxyEgressRefusedException(
                $"Egress policy (Proxy:AllowedDirect) refuses a DIRECT connection to {request.RequestUri!.IdnHost}:{request.RequestUri.Port} ({decision.Reason}): no allowed entry matches it; send it through a proxy or add it to Proxy:AllowedDirect");
        }

        ProxyNetTelemetry.CountRequest(decision.Proxy is null ? "direct" : "proxy", request.RequestUri!.Scheme);
        using var activity = ProxyNetTelemetry.Source.StartActivity("ProxyNet.Route");
        activity?.SetTag("proxynet.route", decision.Proxy?.Address ?? "DIRECT");
        activity?.SetTag("proxynet.reason", decision.Reason);

        // A Proxy-Authorization header is the transport's business: never let one reach an origin.
        if (request.Headers.ProxyAuthorization is not null)
        {
            request.Headers.ProxyAuthorization = null;
        }

        // The primary handler decides the same way on its own (same resolver, same client); only an override,
        // which it cannot know, travels in the options, so the common path adds no options entry.
        if (forced)
        {
            request.Options.Set(ProxyRequestExtensions.DecisionKey, decision);
        }
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            Log.RouteDecided(_logger, request.Method.Method, Display(request.RequestUri!), decision.Proxy?.Address ?? "DIRECT", decision.Reason);
        }

        return decision;
    }

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

        // Credentials meant for one origin are not handed to the next (as HttpClientHandler does).
        request.Headers.Authorization = null;
        request.RequestUri = to;
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            Log.Redirected(_logger, status, Display(from), Display(to));
        }

        return true;
    }

    /// <summary>A URL fit for a log line: no user information, no query string.</summary>
    private static string Display(Uri uri) => uri.IsAbsoluteUri ? uri.GetLeftPart(UriPartial.Path) : uri.ToString();
}
