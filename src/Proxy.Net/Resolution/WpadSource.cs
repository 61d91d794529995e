using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ProxyNet.Resolution;

/// <summary>
/// Web Proxy Auto-Discovery by DNS only (semantics, section 7): <c>http://wpad.&lt;suffix&gt;/wpad.dat</c> for each
/// suffix of the machine's domain, longest first, never at or above a public suffix. The first name that resolves is
/// the script's URL. A script once found is kept for this configuration (the PAC engine refreshes its text); while
/// none is found the search is repeated at most every 30 seconds, and <c>next</c> (the desktop's settings) or DIRECT
/// answers meanwhile. The search runs in the background, started when the configuration is compiled; a request waits
/// for it at most <see cref="WpadLocator.SearchTimeout"/> and holds no lock while it waits.
/// </summary>
internal sealed class WpadSource : IDynamicProxySource
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(30);

    private readonly object _gate = new();
    private readonly IProxyAutoConfig? _engine;
    private readonly Action<string>? _warn;
    private readonly WpadLocator _locator;
    private readonly IDynamicProxySource? _next;
    private readonly TimeProvider _time;
    private PacSource? _script;
    private Task? _search;
    private (string Tried, DateTimeOffset Until)? _notFound;

    public WpadSource(IProxyAutoConfig? engine, Action<string>? warn, WpadLocator locator, IDynamicProxySource? next, TimeProvider? time = null, bool searchNow = false)
    {
        _engine = engine;
        _warn = warn;
        _locator = locator;
        _next = next;
        _time = time ?? TimeProvider.System;
        if (searchNow)
        {
            Start();
        }
    }

    /// <summary>The names the last search asked and what it found, for explanations; null before one has ended.</summary>
    public string? Searched { get; private set; }

    public ProxyDecision Resolve(Uri uri, string host)
    {
        if (Find() is { } script)
        {
            return script.Resolve(uri, host);
        }

        return _next?.Resolve(uri, host) ?? ProxyDecision.Direct($"Proxy:AutoDetect: WPAD found no script ({Searched ?? "the search has not ended"})");
    }

    private PacSource? Find()
    {
        if (Volatile.Read(ref _script) is { } found)
        {
            return found;
        }

        try
        {
            // WaitAsync's timer, not a blocking wait with a timeout: that one misreads a shifted wall clock (libfaketime).
            Start()?.WaitAsync(WpadLocator.SearchTimeout + TimeSpan.FromMilliseconds(250)).GetAwaiter().GetResult();
        }
        catch (TimeoutException)
        {
            Searched = $"the search has not ended within {WpadLocator.SearchTimeout.TotalSeconds:0} s";
        }

        return Volatile.Read(ref _script);
    }

    /// <summary>The search running now, a new one when none has run or the last miss is 30 seconds old, or null.</summary>
    private Task? Start()
    {
        lock (_gate)
        {
            if (_script is not null || (_notFound is { } miss && _time.GetUtcNow() < miss.Until))
            {
                return null;
            }

            return _search ??= Task.Run(Search);
        }
    }

    private void Search()
    {
        string? url;
        string tried;
        try
        {
            (url, tried) = _locator.Find();
        }
        catch (Exception e)
        {
            (url, tried) = (null, $"the search failed: {e.Message}");
        }

        lock (_gate)
        {
            Searched = tried;
            if (url is null)
            {
                _notFound = (tried, _time.GetUtcNow() + RetryInterval);
            }
            else
            {
                Volatile.Write(ref _script, new PacSource(url, _engine, _warn));
            }

            _search = null;
        }
    }
}

/// <summary>Finds the WPAD script's URL: the machine's domain suffixes, longest first, the first that resolves.</summary>
internal sealed class WpadLocator(Func<string?> domain, Func<string, bool> resolves)
{
    public static WpadLocator Machine { get; } = new(MachineDomain, Resolves);

    /// <summary>
    /// The URLs to try for <paramref name="domain"/>, longest suffix first, down to the registrable domain and never
    /// at or above a public suffix (<c>eng.example.co.uk</c>: <c>wpad.eng.example.co.uk</c>, <c>wpad.example.co.uk</c>;
    /// never <c>wpad.co.uk</c>). At most <see cref="MaxCandidates"/>.
    /// </summary>
    public static IReadOnlyList<string> Candidates(string? domain, PublicSuffixList? suffixes = null)
    {
        string[] labels = Labels(domain);
        int suffix = (suffixes ?? PublicSuffixList.Default).SuffixLabels(labels);
        var urls = new List<string>();
        for (int i = 0; labels.Length - i > suffix && urls.Count < MaxCandidates; i++)
        {
            urls.Add($"http://wpad.{string.Join('.', labels[i..])}/wpad.dat");
        }

        return urls;
    }

    /// <summary>Names one search asks at most: a domain of 100 labels does not make 100 lookups.</summary>
    internal const int MaxCandidates = 8;

    /// <summary>How long one search may take in all; the names still unasked then are not asked.</summary>
    internal static readonly TimeSpan SearchTimeout = TimeSpan.FromSeconds(5);

    private static string[] Labels(string? domain)
    {
        string name = (domain ?? string.Empty).Trim().TrimEnd('.').ToLowerInvariant();
        try
        {
            name = name.Length > 0 ? new System.Globalization.IdnMapping().GetAscii(name) : name;
        }
        catch (ArgumentException)
        {
            return [];
        }

        return name.Split('.', StringSplitOptions.RemoveEmptyEntries);
    }

    public (string? Url, string Tried) Find()
    {
        string? machineDomain = domain();
        var candidates = Candidates(machineDomain);
        if (candidates.Count == 0)
        {
            return (null, machineDomain is { Length: > 0 } d
                ? $"the machine's domain '{d}' is a public suffix or has no name below one (WPAD never asks at or above a public suffix)"
                : "the machine has no DNS domain");
        }

        var deadline = Stopwatch.StartNew();
        var asked = new List<string>();
        foreach (string url in candidates)
        {
            if (deadline.Elapsed >= SearchTimeout)
            {
                return (null, $"no answer for {string.Join(", ", asked)} within {SearchTimeout.TotalSeconds:0} s; not asked: {string.Join(", ", candidates.Skip(asked.Count).Select(u => new Uri(u).Host))}");
            }

            string host = new Uri(url).Host;
            asked.Add(host);
            if (resolves(host))
            {
                return (url, $"{string.Join(", ", asked)}: found {url}");
            }
        }

        return (null, $"no answer for {string.Join(", ", asked)}");
    }

    /// <summary>
    /// <c>domain</c> or the first <c>search</c> entry of <c>/etc/resolv.conf</c>, else the part of the machine's fully
    /// qualified name after its first label, else the domain the OS reports.
    /// </summary>
    internal static string? MachineDomain()
    {
        try
        {
            if (File.Exists("/etc/resolv.conf") && FromResolvConf(File.ReadLines("/etc/resolv.conf")) is { } fromResolver)
            {
                return fromResolver;
            }

            return FromHostName(Dns.GetHostEntry(Dns.GetHostName()).HostName)
                ?? FromReported(System.Net.NetworkInformation.IPGlobalProperties.GetIPGlobalProperties().DomainName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SocketException or System.Net.NetworkInformation.NetworkInformationException)
        {
            return null;
        }
    }

    /// <summary>resolv.conf's <c>domain</c>, else the first name of its <c>search</c> line, else null.</summary>
    internal static string? FromResolvConf(IEnumerable<string> lines)
    {
        string? search = null;
        string? declared = null;
        foreach (string line in lines)
        {
            string[] words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 2)
            {
                continue;
            }

            if (words[0] == "domain")
            {
                declared = words[1];
            }
            else if (words[0] == "search")
            {
                search = words[1];
            }
        }

        return declared ?? search;
    }

    /// <summary>What follows the first label of a fully qualified host name, or null when it has no domain part.</summary>
    internal static string? FromHostName(string fqdn)
    {
        int dot = fqdn.IndexOf('.');
        return dot > 0 && dot < fqdn.Length - 1 ? fqdn[(dot + 1)..] : null;
    }

    /// <summary>The domain the OS reports, or null for none (Linux says "(none)").</summary>
    internal static string? FromReported(string reported) => reported is { Length: > 0 } and not "(none)" ? reported : null;

    private static bool Resolves(string host)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            return Dns.GetHostAddressesAsync(host, timeout.Token).GetAwaiter().GetResult().Length > 0;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ArgumentException)
        {
            return false;
        }
    }
}
