using System.Net;

namespace ProxyNet.Forwarding;

/// <summary>Where a <see cref="ProxyServer"/> listens, who may use it and how far one client connection may go.</summary>
public sealed class ProxyServerOptions
{
    /// <summary>The local address and port. Default <c>127.0.0.1:3128</c>.</summary>
    public IPEndPoint LocalEndPoint { get; set; } = new(IPAddress.Loopback, 3128);

    /// <summary>
    /// The password clients send as Basic <c>Proxy-Authorization</c> (any user name: <c>http://proxynet:TOKEN@127.0.0.1:3128</c>);
    /// anything else gets <c>407</c>. Null turns client authentication off: then any process that can reach the port
    /// uses the upstream logins.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>
    /// Client address ranges (CIDR, or a single address) besides loopback that may connect; others are closed without
    /// an answer. Listening on an address that is not loopback needs at least one.
    /// </summary>
    public IList<string> AllowedClients { get; set; } = [];

    /// <summary>Largest request head (request line and headers) read; more gets <c>431</c>. Default 64 KiB.</summary>
    public int MaxRequestHeadBytes { get; set; } = 64 * 1024;

    /// <summary>How long a client may take to send a request head, and how long a kept-alive connection may wait for the next one. Default 60 s.</summary>
    public TimeSpan ClientIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A CONNECT tunnel with no byte in either direction for this long is closed. Default 1 hour.</summary>
    public TimeSpan TunnelIdleTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long opening one upstream tunnel may take (TCP, TLS to the proxy, CONNECT and its login). Default 30 s.</summary>
    public TimeSpan SetupTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Client connections served at once; one more is closed at once. Default 4096.</summary>
    public int MaxConnections { get; set; } = 4096;

    /// <summary>How long <see cref="ProxyServer.DisposeAsync"/> lets requests and tunnels in flight finish before closing them. Default 10 s.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
