using System.Net.Sockets;

namespace ProxyNet.Tunnel;

/// <summary>Why a proxy could not be reached, in the user's words, for every transport that connects to one.</summary>
internal static class ProxyReachability
{
    /// <summary>
    /// Why a proxy could not be used at all, in words: refused, does not resolve, did not answer, unreachable, or
    /// closed the connection; null when the exception says none of these.
    /// </summary>
    public static string? Describe(Exception e, ProxyEndpoint proxy, string? reason)
    {
        string named = $"Proxy {Named(proxy, reason)}";
        if (Find<TimeoutException>(e) is not null)
        {
            return $"{named} did not accept a connection in time (is the address right, and is a firewall dropping the packets?)";
        }

        if (e is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError })
        {
            return $"{named} does not resolve: DNS knows no host '{proxy.Host}' (check the spelling{(reason is null ? string.Empty : $" in {reason}")}, or the resolver)";
        }

        if (Find<SocketException>(e) is not { } socket)
        {
            return null;
        }

        return socket.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => $"{named} refused the connection: nothing listens on port {proxy.Port} of {proxy.Host} (is the proxy running, and is the port right?)",
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => $"{named} does not resolve: DNS knows no host '{proxy.Host}' (check the spelling{(reason is null ? string.Empty : $" in {reason}")}, or the resolver)",
            SocketError.TimedOut => $"{named} did not accept a connection in time (is the address right, and is a firewall dropping the packets?)",
            SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown => $"{named} is unreachable from this machine: no route to {proxy.Host}",
            SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => $"{named} closed the connection before answering",
            SocketError.AccessDenied => $"{named} cannot be reached: the operating system denied the connection (a local firewall or sandbox)",
            _ => $"{named} cannot be reached ({socket.SocketErrorCode})",
        };
    }

    /// <summary>The proxy's address followed by the setting that named it: <c>http://p:3128 (HTTPS_PROXY)</c>.</summary>
    public static string Named(ProxyEndpoint proxy, string? reason) =>
        string.IsNullOrEmpty(reason) || reason == proxy.Address ? proxy.Address : $"{proxy.Address} ({Short(reason)})";

    /// <summary>A reason cut to one readable line: a PAC answer can list hundreds of proxies.</summary>
    public static string Short(string reason) => reason.Length > MaxReason ? string.Concat(reason.AsSpan(0, MaxReason), "…") : reason;

    private const int MaxReason = 100;

    private static T? Find<T>(Exception? e)
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
