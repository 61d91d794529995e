using System.Net;
using System.Net.Sockets;
using System.Text;
using ProxyNet.Tunnel;

namespace ProxyNet.Forwarding;

/// <summary>
/// A SOCKS5 CONNECT (RFC 1928) with no login or a user name and password (RFC 1929), for raw streams: <c>socks5h</c>
/// lets the proxy resolve the name, <c>socks5</c> resolves it here. A refusal about the destination carries a status
/// (403 for "not allowed", else 502), so it never opens the proxy's breaker; broken replies do.
/// </summary>
internal static class Socks5Client
{
    public static async Task<Stream> ConnectAsync(ProxyEndpoint proxy, string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (proxy.Scheme is not ("socks5" or "socks5h"))
        {
            throw new ProxyConfigurationException($"Proxy {proxy}: raw tunnels go through http://, https:// or socks5(h):// proxies, not {proxy.Scheme}");
        }

        using var setup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        setup.CancelAfter(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(proxy.Host, proxy.Port, setup.Token).ConfigureAwait(false);
            var stream = new NetworkStream(socket, ownsSocket: true);
            await HandshakeAsync(stream, proxy, host, port, setup.Token).ConfigureAwait(false);
            return stream;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new ProxyTunnelException($"SOCKS proxy {proxy} did not set up a tunnel to {RouteConnector.Authority(host, port)} within {timeout.TotalSeconds:0.###} s", null, new TimeoutException());
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task HandshakeAsync(Stream stream, ProxyEndpoint proxy, string host, int port, CancellationToken token)
    {
        var login = proxy.Credentials;
        await stream.WriteAsync(login is null ? new byte[] { 5, 1, 0 } : [5, 2, 0, 2], token).ConfigureAwait(false);
        var reply = await ReadAsync(stream, 2, proxy, token).ConfigureAwait(false);
        if (reply[0] != 5)
        {
            throw Broken(proxy, "its greeting is not SOCKS5");
        }

        if (reply[1] == 2 && login is not null)
        {
            byte[] user = Encoding.UTF8.GetBytes(login.UserName);
            byte[] password = Encoding.UTF8.GetBytes(login.Password);
            if (user.Length > 255 || password.Length > 255)
            {
                throw new ProxyConfigurationException($"SOCKS proxy {proxy}: the user name and the password must each be at most 255 bytes");
            }

            await stream.WriteAsync((byte[])[1, (byte)user.Length, .. user, (byte)password.Length, .. password], token).ConfigureAwait(false);
            var status = await ReadAsync(stream, 2, proxy, token).ConfigureAwait(false);
            if (status[1] != 0)
            {
                throw new ProxyTunnelException($"SOCKS proxy {proxy} refused the login of user '{login.UserName}'", HttpStatusCode.ProxyAuthenticationRequired);
            }
        }
        else if (reply[1] != 0)
        {
            throw new ProxyTunnelException($"SOCKS proxy {proxy} accepts none of the offered logins ({(login is null ? "none; it may want a user name and password" : "none or user/password")})", HttpStatusCode.ProxyAuthenticationRequired);
        }

        await stream.WriteAsync(await RequestAsync(proxy, host, port, token).ConfigureAwait(false), token).ConfigureAwait(false);
        var head = await ReadAsync(stream, 4, proxy, token).ConfigureAwait(false);
        if (head[0] != 5)
        {
            throw Broken(proxy, "its reply is not SOCKS5");
        }

        if (head[1] != 0)
        {
            throw new ProxyTunnelException(
                $"SOCKS proxy {proxy} refused the tunnel to {RouteConnector.Authority(host, port)}: {Reply(head[1])}",
                head[1] == 2 ? HttpStatusCode.Forbidden : HttpStatusCode.BadGateway);
        }

        int rest = head[3] switch
        {
            1 => 4,
            4 => 16,
            3 => (await ReadAsync(stream, 1, proxy, token).ConfigureAwait(false))[0],
            _ => throw Broken(proxy, $"its reply has address type {head[3]}"),
        };
        await ReadAsync(stream, rest + 2, proxy, token).ConfigureAwait(false);
    }

    private static async Task<byte[]> RequestAsync(ProxyEndpoint proxy, string host, int port, CancellationToken token)
    {
        IPAddress? address = IPAddress.TryParse(host, out var literal) ? literal : null;
        if (address is null && proxy.Scheme == "socks5")
        {
            var addresses = await Dns.GetHostAddressesAsync(host, token).ConfigureAwait(false);
            address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
                ?? throw new ProxyTunnelException($"{host} does not resolve (socks5:// resolves names here; socks5h:// lets the proxy)", HttpStatusCode.BadGateway);
        }

        byte[] target = address is null
            ? [3, (byte)Encoding.ASCII.GetByteCount(host), .. Encoding.ASCII.GetBytes(host)]
            : [(byte)(address.AddressFamily == AddressFamily.InterNetwork ? 1 : 4), .. address.GetAddressBytes()];
        return [5, 1, 0, .. target, (byte)(port >> 8), (byte)port];
    }

    private static async Task<byte[]> ReadAsync(Stream stream, int count, ProxyEndpoint proxy, CancellationToken token)
    {
        var buffer = new byte[count];
        try
        {
            await stream.ReadExactlyAsync(buffer, token).ConfigureAwait(false);
        }
        catch (EndOfStreamException)
        {
            throw Broken(proxy, "it closed the connection during the handshake");
        }

        return buffer;
    }

    private static ProxyTunnelException Broken(ProxyEndpoint proxy, string what) => new($"SOCKS proxy {proxy} broke the handshake: {what}");

    private static string Reply(byte code) => code switch
    {
        1 => "general failure",
        2 => "not allowed by its rules",
        3 => "network unreachable",
        4 => "host unreachable",
        5 => "connection refused",
        6 => "TTL expired",
        7 => "command not supported",
        8 => "address type not supported",
        _ => $"reply code {code}",
    };
}
