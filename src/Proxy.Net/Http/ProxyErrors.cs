using System.Net;
using Microsoft.Extensions.Logging;
using ProxyNet.Diagnostics;
using ProxyNet.Tls;

namespace ProxyNet.Http;

/// <summary>
/// The handler's error-translation stage: every failure of a hop leaves as an <see cref="HttpRequestException"/> whose
/// message names what failed in the user's terms — the proxy with the setting that named it, what it answered or why
/// it could not be reached, what was sent, and what to do — marked with <see cref="ProxyFailures.ExplainedKey"/> so that
/// callers which print an exception chain stop there instead of appending the runtime's own text.
/// </summary>
internal sealed class ProxyErrors(ILogger logger)
{
    private const string OfferUnknownKey = "ProxyNet.OfferUnknown";
    private static readonly TimeSpan OfferProbeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The exception the caller sees, or null to let <paramref name="e"/> through as it is.</summary>
    public HttpRequestException? Translate(Exception e, Uri uri, ProxyEndpoint? proxy, string reason)
    {
        if (e is OperationCanceledException || (e is not HttpRequestException && e is not IOException && e is not FormatException))
        {
            return null;
        }

        if (ProxyFailures.Find<CertificateTrustException>(e) is { } trust)
        {
            // The validation callback put the reason in words: which certificate, what is wrong, what to add.
            Log.TlsTrustFailure(logger, Redaction.Url(uri), trust.Message);
            return ProxyFailures.Explain(new HttpRequestException(HttpRequestError.SecureConnectionError, $"TLS: {trust.Message}", e));
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
            return ProxyFailures.Explain(new HttpRequestException(
                HttpRequestError.UserAuthenticationError,
                $"Proxy {Named(proxy, reason)} sent a login challenge that .NET's HTTP stack cannot read for {uri.IdnHost}:{uri.Port} (a multi-leg Negotiate/NTLM answer such as squid 5's 'Negotiate token=…'): set AlwaysTunnel on this client, so Proxy.Net logs in by CONNECT with its own login engine.",
                e,
                HttpStatusCode.ProxyAuthenticationRequired));
        }

        if (ProxyFailures.Find<Tunnel.ProxyTunnelException>(e) is { } tunnel)
        {
            // A tunnel opened by Proxy.Net (HTTPS proxies, FTP, AlwaysTunnel): its message already names proxy, target
            // and answer, and ProxyTunnel has counted the failure; the setting that named the proxy is added.
            return ProxyFailures.Explain(new HttpRequestException(HttpRequestError.ProxyTunnelError, WithSource(tunnel.Message, proxy, reason), e, tunnel.StatusCode));
        }

        var kind = ProxyFailures.Classify(e);
        if (kind == ProxyFailure.Refused)
        {
            var status = ProxyFailures.RefusalStatus(e);
            if (status == HttpStatusCode.ProxyAuthenticationRequired && !proxy.IsSocks)
            {
                // .NET's own CONNECT keeps the proxy's offer to itself: CompleteAsync asks the proxy before it words the failure.
                var pending = new HttpRequestException(HttpRequestError.UserAuthenticationError, e.Message, e, status);
                pending.Data[OfferUnknownKey] = true;
                return pending;
            }

            return Refusal(uri, proxy, reason, status, e);
        }

        if (kind == ProxyFailure.Unusable && Tunnel.ProxyReachability.Describe(e, proxy, reason) is { } words)
        {
            var error = e is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } ? HttpRequestError.NameResolutionError : HttpRequestError.ConnectionError;
            return ProxyFailures.Explain(new HttpRequestException(error, words, e));
        }

        return e as HttpRequestException ?? new HttpRequestException(kind == ProxyFailure.Unusable ? HttpRequestError.ConnectionError : HttpRequestError.Unknown, e.Message, e);
    }

    /// <summary>
    /// The translated failure, finished: a 407 to .NET's own CONNECT is worded after one bare CONNECT has shown what the
    /// proxy offers (<see cref="Tunnel.ProxyOfferProbe"/>). Every other failure is returned as it is.
    /// </summary>
    public async Task<HttpRequestException> CompleteAsync(HttpRequestException translated, Exception original, Uri uri, ProxyEndpoint? proxy, string reason, CancellationToken cancellationToken)
    {
        if (proxy is null || !translated.Data.Contains(OfferUnknownKey))
        {
            return translated;
        }

        var offered = await Tunnel.ProxyOfferProbe.OfferedAsync(proxy, uri.IdnHost, uri.Port, OfferProbeTimeout, cancellationToken).ConfigureAwait(false);
        return Refusal(uri, proxy, reason, HttpStatusCode.ProxyAuthenticationRequired, original, offered);
    }

    /// <summary>A live proxy's answer about this destination: the request's failure, never a reason to fail over.</summary>
    public HttpRequestException Refusal(Uri uri, ProxyEndpoint proxy, string reason, HttpStatusCode? status, Exception? inner, IReadOnlyList<string>? offered = null)
    {
        string destination = $"{uri.IdnHost}:{uri.Port}";
        if (status == HttpStatusCode.ProxyAuthenticationRequired)
        {
            ProxyNetTelemetry.CountFailure("auth");
            string failure = Authentication.ProxyLoginText.Failure(proxy, Named(proxy, reason), reason, destination, offered);
            Log.ProxyAuthenticationFailed(logger, proxy.Address, Redaction.Url(uri), failure);
            return ProxyFailures.Explain(new HttpRequestException(HttpRequestError.UserAuthenticationError, failure, inner, HttpStatusCode.ProxyAuthenticationRequired));
        }

        ProxyNetTelemetry.CountFailure("refused");
        string answer = status is { } code ? $"{(int)code} {ReasonOf(code)}" : "a refusal";
        string hint = status == HttpStatusCode.Forbidden ? " (the proxy's policy forbids it)" : status is HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout or HttpStatusCode.ServiceUnavailable ? " (the proxy could not reach it)" : string.Empty;
        return ProxyFailures.Explain(new HttpRequestException(
            HttpRequestError.ProxyTunnelError,
            $"Proxy {Named(proxy, reason)} answered {answer} for {destination}{hint}",
            inner,
            status));
    }

    /// <summary>The proxy's address followed by the setting that named it: <c>http://p:3128 (HTTPS_PROXY)</c>.</summary>
    public static string Named(ProxyEndpoint proxy, string reason) => Tunnel.ProxyReachability.Named(proxy, reason);

    /// <summary>A message that names <paramref name="proxy"/>, with the setting that named it added at its first mention.</summary>
    public static string WithSource(string message, ProxyEndpoint proxy, string reason)
    {
        int at = message.IndexOf(proxy.Address, StringComparison.Ordinal);
        if (at < 0 || string.IsNullOrEmpty(reason) || message.AsSpan(at + proxy.Address.Length).StartsWith(" (", StringComparison.Ordinal))
        {
            return message;
        }

        return string.Concat(message.AsSpan(0, at), Named(proxy, reason), message.AsSpan(at + proxy.Address.Length));
    }

    private static string ReasonOf(HttpStatusCode code) => code switch
    {
        HttpStatusCode.Forbidden => "Forbidden",
        HttpStatusCode.BadGateway => "Bad Gateway",
        HttpStatusCode.ServiceUnavailable => "Service Unavailable",
        HttpStatusCode.GatewayTimeout => "Gateway Timeout",
        _ => code.ToString(),
    };
}
