using System.Net;

namespace ProxyNet.Forwarding;

/// <summary>Where a <see cref="ProxyTunnelListener"/> listens and how far each forwarded connection may go.</summary>
public sealed class ProxyTunnelListenerOptions
{
    /// <summary>The local address and port; default <c>127.0.0.1:0</c> (loopback, a port the OS picks).</summary>
    public IPEndPoint LocalEndPoint { get; set; } = new(IPAddress.Loopback, 0);

    /// <summary>Connections forwarded at once; one more is closed at once. Default 256.</summary>
    public int MaxConnections { get; set; } = 256;

    /// <summary>A connection with no byte in either direction for this long is closed. Default 1 hour (database sessions idle).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long opening one tunnel may take (TCP, TLS to the proxy, CONNECT and its login). Default 30 seconds.</summary>
    public TimeSpan SetupTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Told one line for each connection whose tunnel could not be opened (the proxy, the destination, the status); null for none.</summary>
    public Action<string>? Failed { get; set; }
}
