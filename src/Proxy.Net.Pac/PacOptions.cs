namespace ProxyNet.Pac;

/// <summary>
/// Limits and timings of the PAC engine (<c>services.AddProxyNet(...).AddPac(o => ...)</c>). Plain data with safe
/// defaults: a script that runs past a limit gives a configuration error naming the PAC URL and the limit.
/// </summary>
public sealed class PacOptions
{
    /// <summary>Time one <c>FindProxyForURL</c> call (or the script's top level) may run. Default 300 ms.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Statements one call may execute. Default 1,000,000.</summary>
    public int MaxStatements { get; set; } = 1_000_000;

    /// <summary>
    /// Bytes one call may allocate, and one engine over all its calls: an engine that has allocated more is dropped
    /// after that call and the next call starts a fresh one (the script's top level runs again), so a script that
    /// keeps what it allocates cannot grow the process. Default 32 MiB.
    /// </summary>
    public long MemoryLimit { get; set; } = 32L * 1024 * 1024;

    /// <summary>Depth of nested JavaScript calls. Default 200.</summary>
    public int RecursionLimit { get; set; } = 200;

    /// <summary>Largest script accepted, in bytes. Default 1 MiB.</summary>
    public int MaxScriptSize { get; set; } = 1024 * 1024;

    /// <summary>How long a loaded script is used before it is fetched again (on the next request). Default 30 minutes.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long one fetch may take as a whole: connect, headers and body (a server that stalls after its headers is
    /// given up at this deadline). A request waiting for the first script waits no longer. Default 10 seconds.
    /// </summary>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>While no script has loaded, how long a failure is repeated before fetching again. Default 5 seconds.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long <c>dnsResolve</c> and friends keep an answer (or a failure). Default 60 seconds.</summary>
    public TimeSpan DnsCacheDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long one DNS lookup may take before the helper answers "not resolvable". Default 2 seconds. A lookup never
    /// waits past the call's own <see cref="CallTimeout"/>, which covers the helpers' lookups: the call then ends with
    /// a time-limit error, and the lookup goes on in the background to fill the cache for the next call.
    /// </summary>
    public TimeSpan DnsTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Lookups one call may send to the resolver (cached answers do not count). Default 32: a script that resolves
    /// every host of a long list on each call ends with an error naming this limit instead of flooding the DNS server.
    /// </summary>
    public int MaxDnsLookups { get; set; } = 32;
}
