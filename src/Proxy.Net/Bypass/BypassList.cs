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

    /// <summary>The desktop entry <c>&lt;local&gt;</c>: host names without a dot.</summary>
    private BypassRule? _plainHostNames;

    private BypassList(IReadOnlyList<BypassRule> rules, DomainTable domains, IpPrefixTable v4, IpPrefixTable v6, BypassRule? matchAll)
    {
        Rules = rules;
        _domains = domains;
        _v4 = v4;
        _v6 = v6;
        _matchAll = matchAll;
    }

    /// <summary>The entries that parsed, in written order.</summary>
    public IReadOnlyList<BypassRule> Rules { get; }

    /// <summary>Splits a comma-separated NO_PROXY value into entries.</summary>
    public static IEnumerable<string> Split(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Parses entries; an entry that cannot be parsed adds one line to <paramref name="warnings"/> and is left out.</summary>
    public static BypassList Parse(IEnumerable<string> entries, string source, ICollection<string>? warnings) =>
        Parse(entries.SelectMany(Split).Select(e => (e, source)), warnings);

    /// <summary>Parses entries that each name their own source (used in reasons and warnings).</summary>
    public static BypassList Parse(IEnumerable<(string Entry, string Source)> entries, ICollection<string>? warnings) =>
        Parse(entries, warnings, desktop: false);

    /// <summary>
    /// Parses a desktop's ignore list (GNOME <c>ignore-hosts</c>), read as libproxy and Chrome read it: a plain name
    /// matches that host only, <c>.example.com</c> and <c>*.example.com</c> its subdomains only, and <c>&lt;local&gt;</c>
    /// every host name without a dot. IPs, CIDRs, ports and <c>*</c> are read as in NO_PROXY.
    /// </summary>
    public static BypassList ParseDesktop(IEnumerable<string> entries, string source, ICollection<string>? warnings) =>
        Parse(entries.Select(e => (e, source)), warnings, desktop: true);

    private static BypassList Parse(IEnumerable<(string Entry, string Source)> entries, ICollection<string>? warnings, bool desktop)
    {
        BypassRule? plainHostNames = null;
        var rules = new List<BypassRule>();
        var domains = new Dictionary<string, DomainRules>(StringComparer.OrdinalIgnoreCase);
        var v4 = new IpPrefixTable(32);
        var v6 = new IpPrefixTable(128);
        BypassRule? matchAll = null;
        string? matchAllSource = null;

        foreach (var (raw, source) in entries)
        {
            string entry = raw.Trim();
            if (desktop && entry.Equals("<local>", StringComparison.OrdinalIgnoreCase))
            {
                var local = new BypassRule(rules.Count, entry, source, 0);
                rules.Add(local);
                plainHostNames ??= local;
                continue;
            }

            if (!BypassEntryParser.TryParse(entry, out var parsed, out string? problem))
            {
                warnings?.Add($"{source} entry '{entry}' ignored: {problem}");
                continue;
            }

            var rule = new BypassRule(rules.Count, entry, source, parsed.Port);
            rules.Add(rule);
            if (parsed.Kind is BypassEntryKind.IPv4 or BypassEntryKind.IPv6 && parsed.PrefixLength == 0)
            {
                warnings?.Add($"{source} entry '{entry}' matches every {(parsed.Kind == BypassEntryKind.IPv4 ? "IPv4" : "IPv6")} address: every IP literal bypasses the proxy");
            }

            switch (parsed.Kind)
            {
                case BypassEntryKind.All:
                    matchAllSource ??= source;
                    matchAll ??= rule;
                    break;
                case BypassEntryKind.IPv4:
                    v4.Add(0, (ulong)parsed.Address, parsed.PrefixLength, rule);
                    break;
                case BypassEntryKind.IPv6:
                    v6.Add((ulong)(parsed.Address >> 64), (ulong)parsed.Address, parsed.PrefixLength, rule);
                    break;
                default:
                    if (!domains.TryGetValue(parsed.Domain!, out var node))
                    {
                        node = new DomainRules();
                        domains.Add(parsed.Domain!, node);
                    }

                    bool self = parsed.Kind == BypassEntryKind.Domain && !(desktop && entry.StartsWith('.'));
                    node.Add(rule, self, subdomains: !desktop || !self);
                    break;
            }
        }

        if (matchAll is not null && rules.Count > 1)
        {
            warnings?.Add($"{matchAllSource} entry '*' matches every host: the other {rules.Count - 1} entr{(rules.Count == 2 ? "y has" : "ies have")} no effect and nothing goes through the proxy");
        }

        v4.Freeze();
        v6.Freeze();
        return new BypassList(rules, new DomainTable(domains), v4, v6, matchAll) { _plainHostNames = plainHostNames };
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

        if (_plainHostNames is not null && !host.Contains('.'))
        {
            best = DomainTable.Pick(best, _plainHostNames);
        }

        return DomainTable.Pick(best, _domains.Match(host, port));
    }
}
