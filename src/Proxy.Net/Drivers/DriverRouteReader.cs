using ProxyNet.Bypass;
using ProxyNet.Resolution;

namespace ProxyNet.Drivers;

/// <summary>
/// Reads a compiled configuration the way a fixed-proxy driver will see it: the one proxy it is given (the host's own
/// route, or the configured proxy when NO_PROXY sends the host DIRECT), the bypass list it can carry, and what it
/// cannot carry at all.
/// </summary>
internal static class DriverRouteReader
{
    public static DriverProxySettings Read(ProxySettings settings, DriverGrammar grammar, ProxyDriver driver, Uri url)
    {
        var route = settings.Resolve(url);
        if (route.IsError)
        {
            throw new ProxyConfigurationException(route.Error!);
        }

        var reasons = new List<string>();
        var warnings = new List<string>();
        if (settings.DecidesPerUrl)
        {
            reasons.Add(route.IsPacAnswer
                ? $"a PAC script decides the route per URL ({route.Reason}), which one fixed proxy cannot say"
                : "a PAC script, WPAD or the desktop's settings decide the route per URL, which one fixed proxy cannot say");
        }

        // A host that NO_PROXY sends DIRECT still needs the proxy for the driver's other hosts: the driver gets the
        // configured proxy and the bypass list that names this host.
        var given = route.Proxy is not null ? route
            : route.MatchedEntry is not null && ProxySettings.SchemeOf(url) is { } scheme && settings.NamedProxy(scheme) is { IsError: false, Proxy: not null } named ? named
            : null;
        var proxy = given?.Proxy;
        if (proxy is null || settings.Bypass.Rules.Any(r => r.Entry == "*"))
        {
            return new DriverProxySettings(driver, url, route, [.. grammar.Off()], warnings, reasons);
        }

        if (given!.CandidateProxies.Count > 1)
        {
            string list = string.Join(", ", given.CandidateProxies.Select(p => p?.Address ?? "DIRECT"));
            reasons.Add($"the route tries {given.CandidateProxies.Count} proxies in turn ({list}) and {grammar.Name} takes one: it is given the first");
        }

        bool usable = true;
        if (proxy.IsSocks || proxy.Scheme == "https")
        {
            reasons.Add($"the proxy {proxy} is {(proxy.IsSocks ? "a SOCKS proxy" : "reached over TLS (https://)")}, and {grammar.Name} speaks to an http:// proxy only");
            usable = false;
        }

        if (proxy.Credentials is null && proxy.UseDefaultCredentials)
        {
            reasons.Add($"the proxy {proxy} logs in as the current user (Negotiate, NTLM or Kerberos, no password), which {grammar.Name} cannot do");
            usable = false;
        }
        else if (proxy.Credentials is not null && !grammar.AnswersNegotiateWithPassword && !proxy.AuthSchemes.HasFlag(ProxyAuthSchemes.Basic))
        {
            reasons.Add($"the proxy {proxy} is allowed {proxy.AuthSchemes} only (AuthSchemes), and Basic is the one login {grammar.Name} is sure to send");
            usable = false;
        }

        if (proxy.Headers.Count > 0)
        {
            reasons.Add($"the proxy {proxy} needs the headers of ProxyHeaders ({string.Join(", ", proxy.Headers.Select(h => h.Key))}), which {grammar.Name} cannot send");
        }

        if (!usable)
        {
            return new DriverProxySettings(driver, url, route, [], warnings, reasons);
        }

        string? bypass = Bypass(settings.Bypass, grammar, warnings);
        var credentials = proxy.Credentials;
        string? user = credentials is null ? null
            : string.IsNullOrEmpty(credentials.Domain) ? credentials.UserName : $"{credentials.Domain}\\{credentials.UserName}";
        string host = proxy.Host.Contains(':', StringComparison.Ordinal) ? $"[{proxy.Host}]" : proxy.Host;
        var values = grammar.On(host, proxy.Port, user, credentials?.Password, bypass).ToList();
        return new DriverProxySettings(driver, url, route, values, warnings, reasons);
    }

    /// <summary>The bypass list in the driver's grammar (null when empty), and a warning for each entry it cannot say.</summary>
    private static string? Bypass(BypassList list, DriverGrammar grammar, List<string> warnings)
    {
        var patterns = new List<string>();
        foreach (var rule in list.Rules)
        {
            string? problem;
            var translated = BypassEntryParser.TryParse(rule.Entry, out var parsed, out problem) ? grammar.Translate(parsed, out problem) : null;
            if (translated is null)
            {
                warnings.Add($"{rule.Decision.Reason} {problem ?? "has no equivalent"}: left out of {grammar.BypassKey}, so {grammar.Name} sends those hosts through the proxy (proxynet serve applies the entry)");
                continue;
            }

            patterns.AddRange(translated.Where(p => !patterns.Contains(p, StringComparer.OrdinalIgnoreCase)));
        }

        return patterns.Count == 0 ? null : string.Join(grammar.Separator, patterns);
    }
}
