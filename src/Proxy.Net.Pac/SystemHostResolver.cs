using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace ProxyNet.Pac;

/// <summary>The machine's resolver, bounded in time: a hanging DNS server must not hold a request past <see cref="PacOptions.DnsTimeout"/>.</summary>
internal sealed class SystemHostResolver(TimeSpan timeout) : IPacHostResolver
{
    /// <summary>The machine's answer for <paramref name="host"/>; a failure is an empty list, never an exception.</summary>
    public static async Task<IReadOnlyList<IPAddress>> ResolveAsync(string host)
    {
        try
        {
            return await Dns.GetHostAddressesAsync(host).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            return [];
        }
    }

    public IReadOnlyList<IPAddress> Resolve(string host)
    {
        try
        {
            return ResolveAsync(host).WaitAsync(timeout).GetAwaiter().GetResult();
        }
        catch (TimeoutException)
        {
            return [];
        }
    }

    /// <summary>Addresses of the interfaces that are up, those with a default gateway first (the primary one).</summary>
    public IReadOnlyList<IPAddress> GetLocalAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .Select(n => n.GetIPProperties())
            .OrderByDescending(p => p.GatewayAddresses.Count > 0)
            .SelectMany(p => p.UnicastAddresses.Select(u => u.Address))
            .Where(a => !IPAddress.IsLoopback(a) && !(a.AddressFamily == AddressFamily.InterNetworkV6 && a.IsIPv6LinkLocal))
            .ToList();
}
