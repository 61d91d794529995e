using System.Net;
using System.Net.Sockets;

namespace ProxyNet.Tests.Fakes;

/// <summary>Loopback ports for the tests of failing connections.</summary>
internal static class Ports
{
    /// <summary>A loopback port that was free a moment ago and has nothing listening: a connect there is refused.</summary>
    public static int Closed()
    {
        using var listener = Listen(out int port);
        return port;
    }

    /// <summary>A started listener on a free loopback port that accepts nothing: connects there wait in its backlog.</summary>
    public static TcpListener Listen(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }
}
