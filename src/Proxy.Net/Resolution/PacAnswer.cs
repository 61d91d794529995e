namespace ProxyNet.Resolution;

/// <summary>
/// Reads a PAC answer (<c>PROXY a:3128; SOCKS b:1080; DIRECT</c>) into one decision whose candidates are tried in
/// order (semantics, section 7). Unknown or malformed items are skipped with a warning; none usable is an error.
/// </summary>
internal static class PacAnswer
{
    /// <summary>The longest answer quoted whole in a decision's reason.</summary>
    internal const int MaxQuotedAnswer = 8192;

    /// <summary>
    /// Items of one answer that are tried at most: a request never makes more connection attempts than this, whatever
    /// the script returns (a runaway script's 400 proxies are 16 attempts, and 16 breakers at most).
    /// </summary>
    internal const int MaxCandidates = 16;

    /// <summary>An item as a warning quotes it: whatever stands before its last '@' may be a password, so it goes.</summary>
    private static string Shown(string item) => item.LastIndexOf('@') is int at and >= 0 ? Redaction.Mask + item[at..] : item;

    public static ProxyDecision Decide(string answer, string pacUrl, string function, List<string> warnings)
    {
        // Quoted whole (semantics, section 7), so a long failover list reads as the script wrote it; only an answer
        // past MaxQuotedAnswer (a runaway script's string) is cut.
        string quoted = answer.Length > MaxQuotedAnswer ? answer[..MaxQuotedAnswer] + "…" : answer;
        string reason = $"PAC {function} returned \"{quoted}\"";
        var candidates = new List<ProxyEndpoint?>();
        string[] items = answer.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items.Length > MaxCandidates)
        {
            warnings.Add($"PAC {pacUrl}: {function} returned {items.Length} items; only the first {MaxCandidates} are tried");
            items = items[..MaxCandidates];
        }

        foreach (string raw in items)
        {
            string[] parts = raw.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
            string keyword = parts[0].ToUpperInvariant();
            if (keyword == "DIRECT" && parts.Length == 1)
            {
                candidates.Add(null);
                continue;
            }

            string? scheme = keyword switch
            {
                "PROXY" or "HTTP" => "http",
                "HTTPS" => "https",
                "SOCKS" or "SOCKS5" => "socks5",
                "SOCKS4" => "socks4",
                _ => null,
            };
            if (scheme is null || parts.Length != 2 || parts[1].Contains("://", StringComparison.Ordinal)
                || !ProxyAddressParser.TryParse($"{scheme}://{parts[1]}", $"PAC {pacUrl}", out var endpoint, out _))
            {
                warnings.Add($"PAC {pacUrl}: answer item '{Shown(raw)}' is not PROXY/HTTP/HTTPS/SOCKS/SOCKS4/SOCKS5 host:port or DIRECT; skipped");
                continue;
            }

            candidates.Add(endpoint);
        }

        return candidates.Count == 0
            ? ProxyDecision.Failed($"PAC {pacUrl}: {function} returned \"{quoted}\", which names no usable proxy and no DIRECT")
            : ProxyDecision.FromPac(candidates, reason);
    }
}
