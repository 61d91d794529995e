using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ProxyNet.Tunnel;

namespace ProxyNet.Http;

/// <summary>What a failure says about the proxy that carried the request.</summary>
internal enum ProxyFailure
{
    /// <summary>Not the proxy's doing (an origin's TLS, a cancelled request, …).</summary>
    None,

    /// <summary>
    /// The proxy cannot be used: no TCP connection (refused, timed out, its name does not resolve), TLS to it failed,
    /// or its reply to CONNECT is not HTTP. Nothing of the request reached an origin: fail over, count on its breaker.
    /// </summary>
    Unusable,

    /// <summary>A live proxy answered about this destination (CONNECT 403/502/504, a SOCKS refusal): this request fails.</summary>
    Refused,
}

/// <summary>Classifies the exceptions of the transports (SocketsHttpHandler, <see cref="ProxyTunnel"/>, FTP).</summary>
internal static class ProxyFailures
{
    public static ProxyFailure Classify(Exception e)
    {
        if (Find<ProxyTunnelException>(e) is { } tunnel)
        {
            return tunnel.StatusCode is null ? ProxyFailure.Unusable : ProxyFailure.Refused;
        }

        if (e is not HttpRequestException http)
        {
            return e is SocketException ? ProxyFailure.Unusable : ProxyFailure.None;
        }

        return http.HttpRequestError switch
        {
            HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError => ProxyFailure.Unusable,

            // SocketsHttpHandler's own CONNECT (or SOCKS handshake): a status (or a SOCKS reply) is an answer about the
            // destination; a connection that broke or spoke something else during it is the proxy's failure.
            HttpRequestError.ProxyTunnelError when http.InnerException is HttpIOException or SocketException => ProxyFailure.Unusable,
            HttpRequestError.ProxyTunnelError => ProxyFailure.Refused,
            _ => http.InnerException is SocketException ? ProxyFailure.Unusable : ProxyFailure.None,
        };
    }

    /// <summary>The status a proxy answered to CONNECT, when the exception carries one.</summary>
    public static HttpStatusCode? RefusalStatus(Exception e)
    {
        if (Find<ProxyTunnelException>(e) is { StatusCode: { } status })
        {
            return status;
        }

        if (e is HttpRequestException { StatusCode: { } code })
        {
            return code;
        }

        // .NET 8 does not set StatusCode on its CONNECT failure; its message ends with the code in quotes.
        string message = e.Message;
        int end = message.LastIndexOf('\'');
        int start = end > 0 ? message.LastIndexOf('\'', end - 1) : -1;
        return start >= 0 && end - start == 4
            && int.TryParse(message.AsSpan(start + 1, 3), NumberStyles.None, CultureInfo.InvariantCulture, out int parsed)
            ? (HttpStatusCode)parsed
            : null;
    }

    /// <summary>
    /// The <see cref="Exception.Data"/> key that marks an exception whose message is the whole story in the user's
    /// words: a caller that prints an exception chain (the CLI, a log formatter) stops there and does not append the
    /// runtime's text of the inner exceptions.
    /// </summary>
    public const string ExplainedKey = "ProxyNet.Explained";

    public static T Explain<T>(T e)
        where T : Exception
    {
        e.Data[ExplainedKey] = true;
        return e;
    }

    public static T? Find<T>(Exception? e)
        where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }
}
