using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ProxyNet.Bypass;

/// <summary>What one NO_PROXY entry matches.</summary>
internal enum BypassEntryKind
{
    All,
    Domain,
    Subdomains,
    IPv4,
    IPv6,
}

/// <summary>One NO_PROXY entry, parsed.</summary>
internal readonly record struct ParsedEntry(BypassEntryKind Kind, string? Domain, UInt128 Address, int PrefixLength, int Port);

/// <summary>Parses one NO_PROXY entry (semantics, section 3); a problem is returned in words, never thrown.</summary>
internal static class BypassEntryParser
{
    public static bool TryParse(string entry, out ParsedEntry parsed, out string? problem)
    {
        parsed = default;
        problem = null;
        if (entry == "*")
        {
            parsed = new ParsedEntry(BypassEntryKind.All, null, 0, 0, 0);
            return true;
        }

        if (entry.Contains("://", StringComparison.Ordinal))
        {
            problem = "write a host name, IP address or CIDR range, not a URL";
            return false;
        }

        if (entry.Contains('/'))
        {
            return TryParseCidr(entry, out parsed, out problem);
        }

        string hostPart = entry;
        int port = 0;
        if (entry.StartsWith('['))
        {
            int close = entry.IndexOf(']');
            if (close < 0)
            {
                problem = "missing ']'";
                return false;
            }

            hostPart = entry[1..close];
            string rest = entry[(close + 1)..];
            if (rest.Length > 0 && (rest[0] != ':' || !TryParsePort(rest[1..], out port, out problem)))
            {
                problem ??= $"unexpected '{rest}' after ']'";
                return false;
            }

            if (!IPAddress.TryParse(hostPart, out var bracketed) || bracketed.AddressFamily != AddressFamily.InterNetworkV6)
            {
                problem = $"'{hostPart}' is not an IPv6 address";
                return false;
            }

            parsed = new ParsedEntry(BypassEntryKind.IPv6, null, ToUInt128(bracketed), 128, port);
            return true;
        }

        if (entry.Count(c => c == ':') >= 2)
        {
            if (!IPAddress.TryParse(entry, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                problem = $"'{entry}' is not an IPv6 address (write [addr]:port for a port)";
                return false;
            }

            parsed = new ParsedEntry(BypassEntryKind.IPv6, null, ToUInt128(v6), 128, 0);
            return true;
        }

        int colon = entry.LastIndexOf(':');
        if (colon >= 0)
        {
            hostPart = entry[..colon];
            if (!TryParsePort(entry[(colon + 1)..], out port, out problem))
            {
                return false;
            }
        }

        if (LooksNumeric(hostPart))
        {
            if (!IPAddress.TryParse(hostPart, out var v4) || v4.AddressFamily != AddressFamily.InterNetwork)
            {
                problem = $"'{hostPart}' is not an IPv4 address";
                return false;
            }

            parsed = new ParsedEntry(BypassEntryKind.IPv4, null, ToUInt32(v4), 32, port);
            return true;
        }

        var kind = BypassEntryKind.Domain;
        if (hostPart.StartsWith("*.", StringComparison.Ordinal))
        {
            kind = BypassEntryKind.Subdomains;
            hostPart = hostPart[2..];
        }
        else if (hostPart.StartsWith('.'))
        {
            hostPart = hostPart[1..];
        }

        if (hostPart.EndsWith('.'))
        {
            hostPart = hostPart[..^1];
        }

        if (!TryNormalizeDomain(hostPart, out string? domain, out problem))
        {
            return false;
        }

        parsed = new ParsedEntry(kind, domain, 0, 0, port);
        return true;
    }

    private static bool TryParseCidr(string entry, out ParsedEntry parsed, out string? problem)
    {
        parsed = default;
        int slash = entry.IndexOf('/');
        string address = entry[..slash].Trim('[', ']');
        if (!IPAddress.TryParse(address, out var ip) || address.Contains('%'))
        {
            problem = $"'{address}' is not an IP address";
            return false;
        }

        int max = ip.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        string lengthText = entry[(slash + 1)..];
        if (!int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out int length) || length > max)
        {
            problem = $"prefix length '{lengthText}' is not between 0 and {max}";
            return false;
        }

        problem = null;
        parsed = max == 32
            ? new ParsedEntry(BypassEntryKind.IPv4, null, ToUInt32(ip), length, 0)
            : new ParsedEntry(BypassEntryKind.IPv6, null, ToUInt128(ip), length, 0);
        return true;
    }

    private static bool TryParsePort(string text, out int port, out string? problem)
    {
        problem = null;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            problem = $"port '{text}' is not between 1 and 65535";
            port = 0;
            return false;
        }

        return true;
    }

    private static bool LooksNumeric(string host) =>
        host.Length > 0 && host.All(c => char.IsAsciiDigit(c) || c == '.') && char.IsAsciiDigit(host[^1]);

    private static bool TryNormalizeDomain(string host, out string? domain, out string? problem)
    {
        bool ok = HostNames.TryNormalize(host, out string ascii, out problem);
        domain = ok ? ascii : null;
        return ok;
    }

    private static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return (uint)((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]);
    }

    private static UInt128 ToUInt128(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        UInt128 value = UInt128.Zero;
        foreach (byte b in bytes)
        {
            value = (value << 8) | b;
        }

        return value;
    }
}
