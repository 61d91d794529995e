using System.Net;
using System.Net.Sockets;

namespace ProxyNet.Tunnel;

/// <summary>
/// Asks an http:// proxy which login schemes it offers for a CONNECT, by sending one CONNECT without credentials and
/// reading the 407's <c>Proxy-Authenticate</c> names. Used only after a CONNECT by .NET's own stack failed with 407
/// (the runtime keeps the offer to itself), so the error can say what the proxy offered. No login is attempted, so
/// no failed attempt counts against the account.
/// </summary>
internal static class ProxyOfferProbe
{
    private const int MaxHeaderBytes = 16 * 1024;

    /// <summary>The offered scheme names in the proxy's order, or null when the proxy did not answer a 407 in time.</summary>
    public static async Task<IReadOnlyList<string>?> OfferedAsync(ProxyEndpoint proxy, string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (proxy.Scheme != "http")
        {
            return null;
        }

        string authority = host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(proxy.Host, proxy.Port, deadline.Token).ConfigureAwait(false);
            await using var connection = new ProxyConnection(new NetworkStream(socket, ownsSocket: true), proxy.Address, authority, MaxHeaderBytes);
            await connection.WriteAsync($"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n", deadline.Token).ConfigureAwait(false);
            var response = await connection.ReadResponseAsync(deadline.Token).ConfigureAwait(false);
            if (response?.Status != HttpStatusCode.ProxyAuthenticationRequired)
            {
                return null;
            }

            return [.. response.Challenges
                .Select(c => c.Trim().Split(' ', 2)[0])
                .Where(s => s.Length > 0 && s.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_'))
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Take(8)];
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ProxyTunnelException)
        {
            return null;
        }
        finally
        {
            socket.Dispose();
        }
    }
}
