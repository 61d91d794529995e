namespace ProxyNet;

/// <summary>
/// Where one request goes: through <see cref="Proxy"/>, DIRECT, or nowhere because the configuration is broken.
/// Decisions are built once per configuration and shared, so resolving a request allocates nothing.
/// </summary>
public sealed class ProxyDecision
{
    private ProxyDecision(ProxyEndpoint? proxy, string reason, string? matchedEntry, string? error)
    {
        Proxy = proxy;
        Reason = reason;
        MatchedEntry = matchedEntry;
        Error = error;
    }

    /// <summary>The proxy to use, or null for DIRECT (and for an error).</summary>
    public ProxyEndpoint? Proxy { get; }

    /// <summary>Why: the variable or option that named the proxy, or the NO_PROXY entry that matched.</summary>
    public string Reason { get; }

    /// <summary>The NO_PROXY entry that sent the request DIRECT, if one did.</summary>
    public string? MatchedEntry { get; }

    /// <summary>
    /// The proxies to try in order when the configuration lists several (<c>HttpsProxy = "http://a:3128, http://b:3128"</c>):
    /// one decision per proxy, the first being this one. A single element when there is no fallback. A PAC answer may
    /// list DIRECT among them (<c>PROXY a:3128; DIRECT</c>): that candidate's <see cref="Proxy"/> is null.
    /// </summary>
    internal IReadOnlyList<ProxyDecision> Candidates { get; private init; } = [];

    /// <summary>
    /// Every proxy to try, in order, null standing for DIRECT (a PAC answer such as <c>PROXY a:3128; DIRECT</c>, or a list
    /// of proxies in the options): <c>[Proxy]</c> for a single route, empty for an error.
    /// </summary>
    public IReadOnlyList<ProxyEndpoint?> CandidateProxies =>
        IsError ? [] : Candidates.Count == 0 ? [Proxy] : [.. Candidates.Select(c => c.Proxy)];

    /// <summary>True when a PAC script's answer made this decision (<see cref="Reason"/> then quotes the answer).</summary>
    public bool IsPacAnswer { get; private init; }

    /// <summary>A configuration error that stops the request (never a silent DIRECT), or null.</summary>
    public string? Error { get; }

    /// <summary>True when the request goes straight to the origin.</summary>
    public bool IsDirect => Proxy is null && Error is null;

    /// <summary>True when the configuration that applies to this request is broken.</summary>
    public bool IsError => Error is not null;

    internal static ProxyDecision Via(ProxyEndpoint proxy, string reason) => new(proxy, reason, null, null);

    /// <summary>A decision for the first proxy that fails over to the next ones, in order.</summary>
    internal static ProxyDecision ViaAny(IReadOnlyList<ProxyEndpoint?> proxies, string reason)
    {
        var candidates = proxies.Select(p => p is null ? Direct(reason) : Via(p, reason)).ToArray();
        return new ProxyDecision(proxies[0], reason, null, null) { Candidates = candidates };
    }

    /// <summary>A PAC script's answer: its items in order, null for DIRECT.</summary>
    internal static ProxyDecision FromPac(IReadOnlyList<ProxyEndpoint?> proxies, string reason)
    {
        var candidates = proxies.Select(p => p is null ? Direct(reason) : Via(p, reason)).ToArray();
        return new ProxyDecision(proxies[0], reason, null, null) { Candidates = candidates, IsPacAnswer = true };
    }

    internal static ProxyDecision Direct(string reason) => new(null, reason, null, null);

    /// <summary>The same decision (reason, order, DIRECT candidates, PAC origin) with <paramref name="change"/> applied to each proxy.</summary>
    internal ProxyDecision WithEachProxy(Func<ProxyEndpoint, ProxyEndpoint> change)
    {
        if (Candidates.Count == 0)
        {
            return Proxy is null ? this : new ProxyDecision(change(Proxy), Reason, null, null) { IsPacAnswer = IsPacAnswer };
        }

        var proxies = Candidates.Select(c => c.Proxy is null ? null : change(c.Proxy)).ToArray();
        var candidates = proxies.Select(p => p is null ? Direct(Reason) : Via(p, Reason)).ToArray();
        return new ProxyDecision(proxies[0], Reason, null, null) { Candidates = candidates, IsPacAnswer = IsPacAnswer };
    }

    internal static ProxyDecision Bypass(string reason, string entry) => new(null, reason, entry, null);

    internal static ProxyDecision Failed(string error) => new(null, error, null, error);

    /// <summary>A one-line summary without credentials, e.g. <c>PROXY http://proxy:3128 (HTTP_PROXY)</c>.</summary>
    public override string ToString() => Error is not null
        ? $"ERROR {Error}"
        : Proxy is null ? $"DIRECT ({Reason})" : $"PROXY {Proxy} ({Reason})";
}
