using System.Net;
using System.Net.Sockets;

namespace ProxyNet.Tests.Fakes;

/// <summary>Loopback ports for the tests of failing connections.</summary>
internal static class Ports
{
    /// <summary>A loopback port that was free a moment ago and has nothing listening: a connect there is refused.</summary>
    public static int Closed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
