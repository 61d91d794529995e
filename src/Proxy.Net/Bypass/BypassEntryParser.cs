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
            if (!TryParseDottedQuad(hostPart, out uint v4, out problem))
            {
                return false;
            }

            parsed = new ParsedEntry(BypassEntryKind.IPv4, null, v4, 32, port);
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
        string address = entry[..slash];
        string lengthText = entry[(slash + 1)..];
        bool v6 = address.Contains(':');
        int max = v6 ? 128 : 32;
        if (lengthText.Length == 0 || !lengthText.All(char.IsAsciiDigit))
        {
            problem = lengthText.Length == 0 ? "the prefix length after '/' is empty" : $"prefix length '{lengthText}' is not a number";
            return false;
        }

        if (!int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out int length) || length > max)
        {
            problem = $"prefix length {lengthText} is not between 0 and {max}";
            return false;
        }

        if (!v6)
        {
            // 10/8 would read as 0.0.0.10/8 and 192.168/16 as 192.0.0.168/16: shorthand silently changes meaning.
            if (!TryParseDottedQuad(address, out uint v4, out problem))
            {
                return false;
            }

            parsed = new ParsedEntry(BypassEntryKind.IPv4, null, v4, length, 0);
            return true;
        }

        address = address.StartsWith('[') && address.EndsWith(']') ? address[1..^1] : address;
        if (address.Contains('%') || !IPAddress.TryParse(address, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6)
        {
            problem = $"'{address}' is not an IPv6 address";
            return false;
        }

        problem = null;
        parsed = new ParsedEntry(BypassEntryKind.IPv6, null, ToUInt128(ip), length, 0);
        return true;
    }

    /// <summary>
    /// Exactly four dotted decimal octets (no shorthand such as <c>10.1</c>, no octal <c>010</c>, no hex): what a
    /// reader of the entry sees is what it matches.
    /// </summary>
    private static bool TryParseDottedQuad(string text, out uint address, out string? problem)
    {
        address = 0;
        problem = null;
        string[] parts = text.Split('.');
        if (parts.Length != 4)
        {
            problem = $"'{text}' is not a complete IPv4 address: write four dotted decimal numbers, like 10.0.0.0";
            return false;
        }

        foreach (string part in parts)
        {
            int octet = part.Length is > 0 and <= 3 && part.All(char.IsAsciiDigit) && (part.Length == 1 || part[0] != '0')
                ? int.Parse(part, CultureInfo.InvariantCulture)
                : -1;
            if (octet is < 0 or > 255)
            {
                problem = $"'{text}' is not an IPv4 address: each of its four parts must be a decimal number from 0 to 255";
                return false;
            }

            address = (address << 8) | (uint)octet;
        }

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
