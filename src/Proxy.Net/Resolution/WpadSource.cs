using System.Net;
using System.Net.Sockets;

namespace ProxyNet.Resolution;

/// <summary>
/// Web Proxy Auto-Discovery by DNS only (semantics, section 7): <c>http://wpad.&lt;suffix&gt;/wpad.dat</c> for each
/// suffix of the machine's domain, longest first, never a top-level domain alone. The first name that resolves is
/// the script's URL. A script once found is kept for this configuration (the PAC engine refreshes its text); while
/// none is found the search is repeated at most every 30 seconds, and <c>next</c> (the desktop's settings) or DIRECT
/// answers meanwhile.
/// </summary>
internal sealed class WpadSource(IProxyAutoConfig? engine, Action<string>? warn, WpadLocator locator, IDynamicProxySource? next, TimeProvider? time = null) : IDynamicProxySource
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(30);

    private readonly object _gate = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private PacSource? _script;
    private (string Tried, DateTimeOffset Until)? _notFound;

    public ProxyDecision Resolve(Uri uri, string host)
    {
        if (Find() is { } script)
        {
            return script.Resolve(uri, host);
        }

        return next?.Resolve(uri, host) ?? ProxyDecision.Direct($"Proxy:AutoDetect: WPAD found no script ({_notFound?.Tried})");
    }

    private PacSource? Find()
    {
        if (Volatile.Read(ref _script) is { } found)
        {
            return found;
        }

        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_script is not null || (_notFound is { } miss && now < miss.Until))
            {
                return _script;
            }

            var (url, tried) = locator.Find();
            if (url is null)
            {
                _notFound = (tried, now + RetryInterval);
                return null;
            }

            Volatile.Write(ref _script, new PacSource(url, engine, warn));
            return _script;
        }
    }
}

/// <summary>Finds the WPAD script's URL: the machine's domain suffixes, longest first, the first that resolves.</summary>
internal sealed class WpadLocator(Func<string?> domain, Func<string, bool> resolves)
{
    public static WpadLocator Machine { get; } = new(MachineDomain, Resolves);

    /// <summary>The URLs to try for <paramref name="domain"/>, longest suffix first; never a top-level domain alone.</summary>
    public static IReadOnlyList<string> Candidates(string? domain)
    {
        string[] labels = (domain ?? string.Empty).Trim().TrimEnd('.').ToLowerInvariant()
            .Split('.', StringSplitOptions.RemoveEmptyEntries);
        var urls = new List<string>();
        for (int i = 0; i + 1 < labels.Length; i++)
        {
            urls.Add($"http://wpad.{string.Join('.', labels[i..])}/wpad.dat");
        }

        return urls;
    }

    public (string? Url, string Tried) Find()
    {
        string? machineDomain = domain();
        var candidates = Candidates(machineDomain);
        if (candidates.Count == 0)
        {
            return (null, machineDomain is { Length: > 0 } d ? $"the machine's domain '{d}' has no suffix below a top-level domain" : "the machine has no DNS domain");
        }

        foreach (string url in candidates)
        {
            if (resolves(new Uri(url).Host))
            {
                return (url, url);
            }
        }

        return (null, $"no answer for {string.Join(", ", candidates.Select(u => new Uri(u).Host))}");
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
