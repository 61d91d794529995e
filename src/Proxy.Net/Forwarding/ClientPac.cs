using System.Net;
using System.Net.Sockets;
using System.Text;
using ProxyNet.Bypass;

namespace ProxyNet.Forwarding;

/// <summary>
/// The PAC script serve hands to browsers (<c>GET /proxy.pac</c>): DIRECT for the bypass entries a script can say
/// without DNS (names, domains, IPv4 and IPv6 literals, IPv4 ranges), everything else to serve, which applies the
/// whole bypass list itself (ports, IPv6 ranges) — so what the script leaves out is still routed right.
/// </summary>
internal static class ClientPac
{
    public static string Build(BypassList bypass, string proxyAuthority)
    {
        var conditions = new List<string>();
        foreach (var rule in bypass.Rules.Where(r => r.Port == 0))
        {
            string entry = rule.Entry.Trim().TrimEnd('.').ToLowerInvariant();
            if (entry == "*")
            {
                return $"function FindProxyForURL(url, host) {{ return \"DIRECT\"; }}\n";
            }

            if (Condition(entry) is { } condition)
            {
                conditions.Add(condition);
            }
        }

        var script = new StringBuilder("function FindProxyForURL(url, host) {\n");
        script.Append("    var ipv4 = /^\\d+\\.\\d+\\.\\d+\\.\\d+$/.test(host);\n");
        foreach (string condition in conditions)
        {
            script.Append("    if (").Append(condition).Append(") return \"DIRECT\";\n");
        }

        return script.Append("    return \"PROXY ").Append(proxyAuthority).Append("\";\n}\n").ToString();
    }

    private static string? Condition(string entry)
    {
        int slash = entry.IndexOf('/');
        if (slash > 0)
        {
            if (!IPAddress.TryParse(entry[..slash], out var network) || network.AddressFamily != AddressFamily.InterNetwork
                || !int.TryParse(entry[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture, out int bits) || bits is < 0 or > 32)
            {
                return null;
            }

            uint mask = bits == 0 ? 0 : uint.MaxValue << (32 - bits);
            string maskText = string.Join('.', Enumerable.Reverse(BitConverter.GetBytes(mask)));
            return $"ipv4 && isInNet(host, \"{network}\", \"{maskText}\")";
        }

        string bare = entry.Trim('[', ']');
        if (IPAddress.TryParse(bare, out var address))
        {
            return $"host == \"{address}\"";
        }

        string domain = entry.TrimStart('*').TrimStart('.');
        if (domain.Length == 0 || !Destination.IsHost(domain))
        {
            return null;
        }

        return entry.StartsWith("*.", StringComparison.Ordinal)
            ? $"dnsDomainIs(host, \".{domain}\")"
            : $"(host == \"{domain}\" || dnsDomainIs(host, \".{domain}\"))";
    }
}
