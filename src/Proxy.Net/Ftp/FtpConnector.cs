using System.Net.Sockets;
using ProxyNet.Resolution;
using ProxyNet.Tunnel;

namespace ProxyNet.Ftp;

/// <summary>Opens the FTP control and data connections on the request's route: DIRECT, or a CONNECT tunnel each.</summary>
internal sealed class FtpConnector(ProxyEndpoint? proxy, ProxyTunnelOptions tunnelOptions)
{
    public async Task<Stream> OpenAsync(string host, int port, CancellationToken cancellationToken)
    {
        if (proxy is null)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                throw new HttpRequestException($"Cannot connect to FTP server {host}:{port}: {e.Message}", e);
            }
        }

        if (proxy.IsSocks)
        {
            throw new ProxyConfigurationException($"FTP through SOCKS proxy {proxy} is not supported: set FTP_PROXY to an http:// or https:// proxy (CONNECT)");
        }

        return await ProxyTunnel.ConnectAsync(proxy, host, port, tunnelOptions, cancellationToken).ConfigureAwait(false);
    }
}
