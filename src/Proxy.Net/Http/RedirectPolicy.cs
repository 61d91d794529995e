using Microsoft.Extensions.Logging;
using ProxyNet.Diagnostics;

namespace ProxyNet.Http;

/// <summary>
/// The handler's redirect stage: whether an answer is a redirect this client follows, and the request for the next
/// hop (method and body as browsers and curl change them, credentials kept only within one origin).
/// </summary>
internal static class RedirectPolicy
{
    /// <summary>Turns <paramref name="request"/> into the next hop's request; false when <paramref name="response"/> is not followed.</summary>
    public static bool TryPrepare(HttpRequestMessage request, HttpResponseMessage response, ILogger logger)
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
        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.Redirected(logger, status, Redaction.Url(from), Redaction.Url(to));
        }

        return true;
    }
}
