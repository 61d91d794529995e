using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Jint;
using Jint.Native;
using Microsoft.Extensions.Logging;

namespace ProxyNet.Pac;

/// <summary>
/// The helpers that need the network or the host: DNS through the injected resolver (cached), this machine's
/// addresses, CIDR tests of both families, and <c>alert</c> to the log. Nothing else of .NET is reachable.
/// </summary>
internal sealed class PacNatives(CachingHostResolver dns, ILogger logger, string pacUrl)
{
    public void Bind(Engine engine)
    {
        engine.SetValue("dnsResolve", new Func<JsValue, JsValue>(host => First(dns.Resolve(Text(host)), AddressFamily.InterNetwork) is { } a ? a.ToString() : JsValue.Null));
        engine.SetValue("dnsResolveEx", new Func<JsValue, JsValue>(host => Join(dns.Resolve(Text(host)))));
        engine.SetValue("myIpAddress", new Func<JsValue>(() => (First(dns.LocalAddresses(), AddressFamily.InterNetwork) ?? IPAddress.Loopback).ToString()));
        engine.SetValue("myIpAddressEx", new Func<JsValue>(() => Join(dns.LocalAddresses())));
        engine.SetValue("isInNetEx", new Func<JsValue, JsValue, JsValue>((host, prefix) => IsInNetEx(Text(host), Text(prefix))));
        engine.SetValue("sortIpAddressList", new Func<JsValue, JsValue>(list => SortIpAddressList(Text(list)) is { } sorted ? sorted : JsBoolean.False));
        engine.SetValue("alert", new Action<JsValue>(message => Log.Alert(logger, pacUrl, Text(message))));
    }

    private static string Text(JsValue value) => value.IsString() ? value.AsString() : value.ToString();

    private static IPAddress? First(IReadOnlyList<IPAddress> addresses, AddressFamily family) =>
        addresses.FirstOrDefault(a => a.AddressFamily == family);

    private static string Join(IReadOnlyList<IPAddress> addresses) => string.Join(';', addresses.Select(a => a.ToString()));

    private bool IsInNetEx(string host, string prefix)
    {
        int slash = prefix.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(prefix[..slash], out var network)
            || !int.TryParse(prefix[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int length)
            || length > (network.AddressFamily == AddressFamily.InterNetwork ? 32 : 128))
        {
            return false;
        }

        var candidates = IPAddress.TryParse(host, out var literal) ? [literal] : dns.Resolve(host);
        return candidates.Any(a => a.AddressFamily == network.AddressFamily && SamePrefix(a.GetAddressBytes(), network.GetAddressBytes(), length));
    }

    private static bool SamePrefix(byte[] a, byte[] b, int bits)
    {
        for (int i = 0; bits > 0; i++, bits -= 8)
        {
            int mask = bits >= 8 ? 0xff : 0xff << (8 - bits) & 0xff;
            if ((a[i] & mask) != (b[i] & mask))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>IPv6 first, then IPv4, each in address order (Microsoft's definition); null when an item is not an address.</summary>
    internal static string? SortIpAddressList(string list)
    {
        var addresses = new List<IPAddress>();
        foreach (string item in list.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!IPAddress.TryParse(item, out var address))
            {
                return null;
            }

            addresses.Add(address);
        }

        if (addresses.Count == 0)
        {
            return null;
        }

        return Join(addresses
            .OrderBy(a => a.AddressFamily == AddressFamily.InterNetworkV6 ? 0 : 1)
            .ThenBy(a => a.GetAddressBytes(), ByteOrder.Instance)
            .ToList());
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
