using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace ProxyNet.Pac;

/// <summary>The machine's resolver, bounded in time: a hanging DNS server must not hold a request past <see cref="PacOptions.DnsTimeout"/>.</summary>
internal sealed class SystemHostResolver(TimeSpan timeout) : IPacHostResolver
{
    public IReadOnlyList<IPAddress> Resolve(string host)
    {
        try
        {
            var lookup = Dns.GetHostAddressesAsync(host);
            return lookup.Wait(timeout) ? lookup.Result : [];
        }
        catch (AggregateException)
        {
            return [];
        }
        catch (ArgumentException)
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
