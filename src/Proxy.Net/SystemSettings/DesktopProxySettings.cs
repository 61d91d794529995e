namespace ProxyNet.SystemSettings;

/// <summary>What a desktop's proxy settings say, as read (before any of it is parsed into proxies).</summary>
internal enum DesktopProxyMode
{
    /// <summary>No proxy.</summary>
    None,

    /// <summary>Proxies per scheme and an ignore list.</summary>
    Manual,

    /// <summary>A PAC script at <see cref="DesktopProxySettings.PacUrl"/>.</summary>
    Script,

    /// <summary>Find the PAC script by WPAD.</summary>
    AutoDetect,

    /// <summary>KDE's "use the environment variables".</summary>
    Environment,
}

/// <summary>
/// One reading of the desktop's proxy settings. Proxy values are URLs (<c>http://host:port</c>, <c>socks5://host:port</c>),
/// or null when the desktop names none for that scheme.
/// </summary>
internal sealed record DesktopProxySettings(string Source, DesktopProxyMode Mode)
{
    public string? Http { get; init; }

    public string? Https { get; init; }

    public string? Ftp { get; init; }

    public string? Socks { get; init; }

    /// <summary>Hosts that go DIRECT (GNOME <c>ignore-hosts</c>, KDE <c>NoProxyFor</c>).</summary>
    public IReadOnlyList<string> Ignore { get; init; } = [];

    /// <summary>KDE <c>ReversedException</c>: only the hosts in <see cref="Ignore"/> use the proxy.</summary>
    public bool Reversed { get; init; }

    /// <summary>GNOME: <see cref="Ignore"/> is read as libproxy reads <c>ignore-hosts</c> (a plain name is that host only).</summary>
    public bool DesktopIgnoreGrammar { get; init; }

    /// <summary>Proxy login the desktop stores (GNOME <c>use-authentication</c>), applied to its HTTP proxies.</summary>
    public System.Net.NetworkCredential? Credentials { get; init; }

    public string? PacUrl { get; init; }

    /// <summary>Why the settings could not be read, in words; the mode is then <see cref="DesktopProxyMode.None"/>.</summary>
    public string? Problem { get; init; }

    /// <summary>True when this is no reading at all (gsettings failed, the file could not be read), not a desktop that says "none".</summary>
    public bool IsUnreadable { get; init; }

    /// <summary>Settings that say nothing usable (an unknown mode): DIRECT with the problem as the reason.</summary>
    public static DesktopProxySettings Unreadable(string source, string problem) => new(source, DesktopProxyMode.None) { Problem = problem };

    /// <summary>No reading at all: the reader failed. The source keeps its last good reading, or fails closed.</summary>
    public static DesktopProxySettings ReadFailed(string source, string problem) => new(source, DesktopProxyMode.None) { Problem = problem, IsUnreadable = true };
}
