using System.Net;
using ProxyNet.Bypass;
using ProxyNet.Resolution;

namespace ProxyNet.SystemSettings;

/// <summary>
/// The desktop's proxy settings as a source (<c>UseSystemProxy</c>): on Windows and macOS .NET's own system proxy
/// (<see cref="HttpClient.DefaultProxy"/>), on Linux KDE's <c>kioslaverc</c> in a KDE session and GNOME's settings
/// otherwise. The settings are read again every few seconds in the background (the request that notices they are
/// stale keeps the previous reading), so a change on the desktop applies without a restart.
/// </summary>
internal sealed class SystemProxySource : IDynamicProxySource
{
    private readonly Func<DesktopProxySettings> _read;
    private readonly IProxyAutoConfig? _engine;
    private readonly Action<string> _warn;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private volatile Reading? _current;
    private int _refreshing;
    private bool _failing;

    public SystemProxySource(Func<DesktopProxySettings> read, IProxyAutoConfig? engine, Action<string>? warn, TimeSpan? interval = null, TimeProvider? time = null)
    {
        _read = read;
        _engine = engine;
        _warn = warn ?? (static _ => { });
        _interval = interval ?? TimeSpan.FromSeconds(5);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The platform's source: .NET's system proxy on Windows and macOS, the desktop's settings on Linux.</summary>
    public static IDynamicProxySource ForPlatform(Func<string, string?> environment, IProxyAutoConfig? engine, Action<string>? warn) =>
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()
            ? new PlatformProxySource(HttpClient.DefaultProxy)
            : new SystemProxySource(() => ReadDesktop(environment), engine, warn);

    /// <summary>KDE's settings in a KDE session (<c>XDG_CURRENT_DESKTOP</c> names KDE, or <c>KDE_FULL_SESSION</c>), GNOME's otherwise.</summary>
    public static DesktopProxySettings ReadDesktop(Func<string, string?> environment)
    {
        bool kde = (environment("XDG_CURRENT_DESKTOP") ?? string.Empty).Split(':').Contains("KDE", StringComparer.OrdinalIgnoreCase)
            || string.Equals(environment("KDE_FULL_SESSION"), "true", StringComparison.OrdinalIgnoreCase);
        return kde ? KdeProxySettings.Read(environment) : GnomeProxySettings.Read(environment);
    }

    public ProxyDecision Resolve(Uri uri, string host)
    {
        var current = _current ?? First();
        if (_time.GetUtcNow() >= current.Until && Interlocked.Exchange(ref _refreshing, 1) == 0)
        {
            _ = Task.Run(Refresh);
        }

        return current.Route.Resolve(uri, host);
    }

    /// <summary>Reads the settings now; the next request uses them.</summary>
    public void Refresh()
    {
        try
        {
            var settings = _read();
            lock (_gate)
            {
                var previous = _current;
                if (settings.IsUnreadable && previous is { Settings.IsUnreadable: false })
                {
                    // Fail closed: a reading that failed never turns the desktop's proxy into DIRECT. The last good
                    // reading stays, and the failure is said once per streak.
                    if (!_failing)
                    {
                        _failing = true;
                        _warn($"Proxy:UseSystemProxy: {settings.Source}: {settings.Problem}; the last good reading stays in use");
                    }

                    _current = previous with { Until = _time.GetUtcNow() + _interval };
                    return;
                }

                _failing = false;
                _current = previous is not null && Signature(previous.Settings) == Signature(settings)
                    ? previous with { Until = _time.GetUtcNow() + _interval }
                    : Compile(settings);
            }
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    private Reading First()
    {
        lock (_gate)
        {
            return _current ??= Compile(_read());
        }
    }

    private Reading Compile(DesktopProxySettings settings)
    {
        if (settings.Problem is { } problem)
        {
            _warn($"Proxy:UseSystemProxy: {settings.Source}: {problem}");
        }

        // No good reading yet and this one failed: an error in words, never DIRECT (the desktop may name a mandatory proxy).
        var route = settings.IsUnreadable
            ? new DesktopRoute.Fixed(ProxyDecision.Failed($"Proxy:UseSystemProxy: {settings.Source}: {settings.Problem}; with no good reading of the desktop's settings yet, nothing is sent DIRECT"))
            : DesktopRoute.Compile(settings, _engine, _warn);
        return new Reading(settings, route, _time.GetUtcNow() + _interval);
    }

    private static string Signature(DesktopProxySettings s) =>
        string.Join('\n', s.Source, s.Mode, s.Http, s.Https, s.Ftp, s.Socks, string.Join(',', s.Ignore), s.Reversed, s.PacUrl, s.Problem,
            s.Credentials?.UserName, s.Credentials?.Password);

    private sealed record Reading(DesktopProxySettings Settings, IDynamicProxySource Route, DateTimeOffset Until);
}

/// <summary>A reading of the desktop's settings compiled into decisions.</summary>
internal sealed class DesktopRoute : IDynamicProxySource
{
    private readonly string _source;
    private readonly ProxyDecision?[] _decisions;
    private readonly BypassList _ignore;
    private readonly bool _reversed;

    private DesktopRoute(string source, ProxyDecision?[] decisions, BypassList ignore, bool reversed)
    {
        _source = source;
        _decisions = decisions;
        _ignore = ignore;
        _reversed = reversed;
    }

    public static IDynamicProxySource Compile(DesktopProxySettings settings, IProxyAutoConfig? engine, Action<string> warn)
    {
        string source = settings.Source;
        switch (settings.Mode)
        {
            case DesktopProxyMode.Script:
                return new PacSource(settings.PacUrl!, engine, warn);
            case DesktopProxyMode.AutoDetect:
                return new WpadSource(engine, warn, WpadLocator.Machine, next: null);
            case DesktopProxyMode.Environment:
                return new Fixed(ProxyDecision.Direct($"{source}: use the environment variables, and none names a proxy"));
            case DesktopProxyMode.None:
                return new Fixed(ProxyDecision.Direct(settings.Problem is { } problem ? $"{source}: {problem}" : $"{source}: no proxy"));
        }

        var socks = Decide(settings.Socks, $"{source} socks", null);
        ProxyDecision? Scheme(string? url, string name)
        {
            var own = Decide(url, $"{source} {name}", settings.Credentials);
            return own is { IsError: true } ? own : Join(own, socks);
        }

        var decisions = new ProxyDecision?[4];
        decisions[(int)ProxyScheme.Http] = Scheme(settings.Http, "http");
        decisions[(int)ProxyScheme.Https] = Scheme(settings.Https, "https");
        decisions[(int)ProxyScheme.Ftp] = Scheme(settings.Ftp, "ftp");
        var warnings = new List<string>();
        var ignore = settings.DesktopIgnoreGrammar
            ? BypassList.ParseDesktop(settings.Ignore, $"{source} ignore-hosts", warnings)
            : BypassList.Parse(settings.Ignore, $"{source} NoProxyFor", warnings);
        foreach (string warning in warnings)
        {
            warn(warning);
        }

        return new DesktopRoute(source, decisions, ignore, settings.Reversed);
    }

    public ProxyDecision Resolve(Uri uri, string host)
    {
        var rule = _ignore.Match(host, uri.Port);
        if (_reversed)
        {
            // KDE ReversedException: only the listed hosts use the proxy.
            if (rule is null)
            {
                return ProxyDecision.Direct($"{_source}: ReversedException and no NoProxyFor entry names {host}");
            }
        }
        else if (rule is not null)
        {
            return rule.Decision;
        }

        var scheme = ProxySettings.SchemeOf(uri) ?? ProxyScheme.Http;
        if (scheme == ProxyScheme.Grpc)
        {
            scheme = uri.Scheme is "https" ? ProxyScheme.Https : ProxyScheme.Http;
        }

        return _decisions[(int)scheme] ?? ProxyDecision.Direct($"{_source}: no proxy for {uri.Scheme}");
    }

    private static ProxyDecision? Decide(string? url, string source, NetworkCredential? credentials)
    {
        if (url is null)
        {
            return null;
        }

        if (!ProxyAddressParser.TryParse(url, source, out var endpoint, out string? error))
        {
            return ProxyDecision.Failed(error!);
        }

        return ProxyDecision.Via(credentials is not null && endpoint!.Scheme is "http" or "https" ? endpoint.WithCredentials(credentials, source) : endpoint!, source);
    }

    private static ProxyDecision? Join(ProxyDecision? own, ProxyDecision? socks)
    {
        if (own is null || socks is null or { IsError: true })
        {
            return own ?? socks;
        }

        return ProxyDecision.ViaAny([own.Proxy, socks.Proxy], $"{own.Reason}, then {socks.Reason}");
    }

    internal sealed class Fixed(ProxyDecision decision) : IDynamicProxySource
    {
        public ProxyDecision Resolve(Uri uri, string host) => decision;
    }
}

/// <summary>.NET's own system proxy (Windows: WinINet/registry settings incl. PAC; macOS: System Configuration).</summary>
internal sealed class PlatformProxySource(IWebProxy proxy) : IDynamicProxySource
{
    private const string Source = "the system proxy settings";

    public ProxyDecision Resolve(Uri uri, string host)
    {
        Uri? via;
        try
        {
            via = proxy.IsBypassed(uri) ? null : proxy.GetProxy(uri);
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            return ProxyDecision.Failed($"{Source} could not be read: {e.Message}");
        }

        if (via is null || via == uri)
        {
            return ProxyDecision.Direct($"{Source}: DIRECT");
        }

        return ProxyAddressParser.TryParse(via.GetLeftPart(UriPartial.Authority), Source, out var endpoint, out string? error)
            ? ProxyDecision.Via(endpoint!, Source)
            : ProxyDecision.Failed(error!);
    }
}
