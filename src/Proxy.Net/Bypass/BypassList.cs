using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ProxyNet.Bypass;

/// <summary>
/// A NO_PROXY list parsed once into an immutable form. A lookup does no DNS, no regex and no allocation:
/// domains go through <see cref="DomainTable"/>, IP literals and CIDRs through <see cref="IpPrefixTable"/>.
/// When several entries match, the one written first wins, as a linear scan would report it.
/// </summary>
internal sealed class BypassList
{
    private readonly DomainTable _domains;
    private readonly IpPrefixTable _v4;
    private readonly IpPrefixTable _v6;
    private readonly BypassRule? _matchAll;

    private BypassList(IReadOnlyList<BypassRule> rules, DomainTable domains, IpPrefixTable v4, IpPrefixTable v6, BypassRule? matchAll)
    {
        Rules = rules;
        _domains = domains;
        _v4 = v4;
        _v6 = v6;
        _matchAll = matchAll;
    }

    public static BypassList Empty { get; } = Parse([], "NO_PROXY", null);

    /// <summary>The entries that parsed, in written order.</summary>
    public IReadOnlyList<BypassRule> Rules { get; }

    public bool IsEmpty => Rules.Count == 0;

    /// <summary>Splits a comma-separated NO_PROXY value into entries.</summary>
    public static IEnumerable<string> Split(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Parses entries; an entry that cannot be parsed adds one line to <paramref name="warnings"/> and is left out.</summary>
    public static BypassList Parse(IEnumerable<string> entries, string source, ICollection<string>? warnings) =>
        Parse(entries.SelectMany(Split).Select(e => (e, source)), warnings);

    /// <summary>Parses entries that each name their own source (used in reasons and warnings).</summary>
    public static BypassList Parse(IEnumerable<(string Entry, string Source)> entries, ICollection<string>? warnings)
    {
        var rules = new List<BypassRule>();
        var domains = new Dictionary<string, DomainRules>(StringComparer.OrdinalIgnoreCase);
        var v4 = new IpPrefixTable(32);
        var v6 = new IpPrefixTable(128);
        BypassRule? matchAll = null;

        foreach (var (raw, source) in entries)
        {
            string entry = raw.Trim();
            if (!TryParseEntry(entry, out var parsed, out string? problem))
            {
                warnings?.Add($"{source} entry '{entry}' ignored: {problem}");
                continue;
            }

            var rule = new BypassRule(rules.Count, entry, source, parsed.Port);
            rules.Add(rule);
            switch (parsed.Kind)
            {
                case EntryKind.All:
                    matchAll ??= rule;
                    break;
                case EntryKind.IPv4:
                    v4.Add(0, (ulong)parsed.Address, parsed.PrefixLength, rule);
                    break;
                case EntryKind.IPv6:
                    v6.Add((ulong)(parsed.Address >> 64), (ulong)parsed.Address, parsed.PrefixLength, rule);
                    break;
                default:
                    if (!domains.TryGetValue(parsed.Domain!, out var node))
                    {
                        node = new DomainRules();
                        domains.Add(parsed.Domain!, node);
                    }

                    node.Add(rule, self: parsed.Kind == EntryKind.Domain, subdomains: true);
                    break;
            }
        }

        v4.Freeze();
        v6.Freeze();
        return new BypassList(rules, new DomainTable(domains), v4, v6, matchAll);
    }

    /// <summary>Finds the entry that sends <paramref name="uri"/> DIRECT, or null.</summary>
    public BypassRule? Match(Uri uri) => Match(uri.IdnHost, uri.Port);

    /// <summary>Finds the entry that sends a request to <paramref name="host"/> (canonical form, as <see cref="Uri.IdnHost"/>) DIRECT, or null.</summary>
    public BypassRule? Match(ReadOnlySpan<char> host, int port)
    {
        BypassRule? best = _matchAll;
        if (host.Length > 0 && host[^1] == '.')
        {
            host = host[..^1];
        }

        if (host.IsEmpty)
        {
            return best;
        }

        // Uri canonicalizes IP literals, and no DNS name ends in a digit (top-level domains are not numeric).
        if ((uint)(host[^1] - '0') <= 9 && IpLiteral.TryParseIPv4(host, out uint v4))
        {
            return _v4.Count == 0 ? best : DomainTable.Pick(best, _v4.Match(0, v4, port));
        }

        if (host.Contains(':'))
        {
            if (!IpLiteral.TryParseIPv6(host, out ulong hi, out ulong lo))
            {
                return best;
            }

            if (_v6.Count > 0)
            {
                best = DomainTable.Pick(best, _v6.Match(hi, lo, port));
            }

            if (_v4.Count > 0 && IpLiteral.TryGetMappedIPv4(hi, lo, out uint mapped))
            {
                best = DomainTable.Pick(best, _v4.Match(0, mapped, port));
            }

            return best;
        }

        return DomainTable.Pick(best, _domains.Match(host, port));
    }

    private enum EntryKind
    {
        All,
        Domain,
        Subdomains,
        IPv4,
        IPv6,
    }

    private readonly record struct ParsedEntry(EntryKind Kind, string? Domain, UInt128 Address, int PrefixLength, int Port);

    private static bool TryParseEntry(string entry, out ParsedEntry parsed, out string? problem)
    {
        parsed = default;
        problem = null;
        if (entry == "*")
        {
            parsed = new ParsedEntry(EntryKind.All, null, 0, 0, 0);
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

            parsed = new ParsedEntry(EntryKind.IPv6, null, ToUInt128(bracketed), 128, port);
            return true;
        }

        if (entry.Count(c => c == ':') >= 2)
        {
            if (!IPAddress.TryParse(entry, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                problem = $"'{entry}' is not an IPv6 address (write [addr]:port for a port)";
                return false;
            }

            parsed = new ParsedEntry(EntryKind.IPv6, null, ToUInt128(v6), 128, 0);
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

            parsed = new ParsedEntry(EntryKind.IPv4, null, ToUInt32(v4), 32, port);
            return true;
        }

        var kind = EntryKind.Domain;
        if (hostPart.StartsWith("*.", StringComparison.Ordinal))
        {
            kind = EntryKind.Subdomains;
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
            ? new ParsedEntry(EntryKind.IPv4, null, ToUInt32(ip), length, 0)
            : new ParsedEntry(EntryKind.IPv6, null, ToUInt128(ip), length, 0);
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
        bool ok = Resolution.HostNames.TryNormalize(host, out string ascii, out problem);
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
