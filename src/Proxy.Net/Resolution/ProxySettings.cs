using System.Collections.Frozen;
using System.Net;
using System.Runtime.CompilerServices;
using ProxyNet.Bypass;

namespace ProxyNet.Resolution;

/// <summary>
/// The compiled, immutable form of the options and the environment: one decision per scheme,
/// the parsed NO_PROXY list, the warnings, and the trail <see cref="ProxyResolver.Explain(Uri)"/> shows.
/// Built once per configuration change.
/// </summary>
internal sealed class ProxySettings
{
    private static readonly ProxyDecision UnsupportedScheme = ProxyDecision.Direct("scheme is never proxied");

    private static readonly string[] LoopbackEntries = ["localhost", "127.0.0.0/8", "::1"];

    private readonly ProxyDecision?[] _proxies;
    private readonly ProxyDecision[] _none;
    private readonly ProxyDecision? _fatal;

    private ProxySettings(ProxyDecision?[] proxies, IReadOnlyList<string>[] trails, BypassList bypass, string bypassSource, IReadOnlyList<string> warnings, Tls.TransportSettings? transport, string? transportError)
    {
        _proxies = proxies;
        Transport = transport;
        _fatal = transportError is null ? null : ProxyDecision.Failed(transportError);
        Trails = trails;
        Bypass = bypass;
        BypassSource = bypassSource;
        Warnings = warnings;
        _none =
        [
            ProxyDecision.Direct("no proxy variable set for http"),
            ProxyDecision.Direct("no proxy variable set for https"),
            ProxyDecision.Direct("no proxy variable set for ftp"),
            ProxyDecision.Direct("no proxy variable set for grpc"),
        ];
    }

    public BypassList Bypass { get; }

    /// <summary>Values the configuration binder could not read and trust material that cannot be loaded, each naming its key.</summary>
    private IReadOnlyList<string> Unreadable { get; init; } = [];

    /// <summary>Where DIRECT connections may go (<c>Proxy:AllowedDirect</c>), or null when unrestricted.</summary>
    public BypassList? Egress { get; private init; }

    /// <summary>The PAC script that answers where no explicit option does, or null without <c>PacUrl</c>.</summary>
    public PacSource? Pac { get; private init; }

    /// <summary>WPAD and/or the desktop's settings, when they answer (no PacUrl, no proxy variable), or null.</summary>
    private IDynamicProxySource? Dynamic { get; init; }

    /// <summary>Semantics, section 9: the cloud metadata endpoints, DIRECT with a reason naming the preset.</summary>
    private static readonly System.Collections.Frozen.FrozenDictionary<string, ProxyDecision> MetadataPreset =
        new[] { "169.254.169.254", "169.254.170.2", "fd00:ec2::254", "metadata.google.internal" }
            .ToDictionary(h => h, h => ProxyDecision.Direct($"cloud metadata preset ({h})"), StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether <see cref="MetadataPreset"/> applies (<c>Proxy:BypassCloudMetadata</c>, on by default).</summary>
    private bool CloudMetadata { get; init; } = true;

    /// <summary>True when a PAC script, WPAD or the desktop's settings answer for the hosts NO_PROXY leaves: the route is decided per URL.</summary>
    internal bool DecidesPerUrl => Pac is not null || Dynamic is not null;

    /// <summary>The proxy the options or the environment name for <paramref name="scheme"/>, or null when none does.</summary>
    internal ProxyDecision? NamedProxy(ProxyScheme scheme) => _proxies[(int)scheme];

    /// <summary>The WPAD search of this configuration, when <c>AutoDetect</c> decides; for explanations.</summary>
    internal WpadSource? Wpad => Dynamic as WpadSource;

    /// <summary>
    /// The section's login for the proxies a script, WPAD or the desktop names, or null when the section adds none.
    /// Those sources hand out the same decision object while it is cached, so the decorated one is kept beside it
    /// (weakly: it goes when their cache drops the decision) and a cached decision allocates nothing.
    /// </summary>
    private ConditionalWeakTable<ProxyDecision, ProxyDecision>.CreateValueCallback? DynamicLogin { get; init; }

    private readonly ConditionalWeakTable<ProxyDecision, ProxyDecision> _decorated = new();

    /// <summary>TLS trust from the options, or null when they set none (the pool's default applies).</summary>
    public Tls.TransportSettings? Transport { get; }

    /// <summary>The proxies this configuration names (one per scheme that has one).</summary>
    public IEnumerable<ProxyDecision> ProxyDecisions => _proxies.OfType<ProxyDecision>();

    public string BypassSource { get; }

    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Per scheme, what was looked at, in order, with values redacted.</summary>
    public IReadOnlyList<string>[] Trails { get; }

    public static ProxySettings FromEnvironment() => Compile(null, Environment.GetEnvironmentVariable);

    public static ProxySettings Compile(ProxyNetOptions? options, Func<string, string?> environment) => Compile(options, environment, null, null);

    /// <summary>
    /// Compiles <paramref name="options"/>; with <see cref="ProxyNetOptions.PacUrl"/> set, <paramref name="pac"/> answers
    /// for the schemes no explicit option covers and the environment's proxy variables are not read (section 7's order).
    /// </summary>
    public static ProxySettings Compile(ProxyNetOptions? options, Func<string, string?> environment, IProxyAutoConfig? pac, Action<string>? warn)
    {
        var warnings = new List<string>();
        var section = options is { Enabled: true } ? options : null;
        bool useEnvironment = section?.UseEnvironment ?? true;
        string? pacUrl = string.IsNullOrWhiteSpace(section?.PacUrl) ? null : section.PacUrl.Trim();
        var (proxyHeaders, headerErrors) = ProxyHeaders.Compile(section?.ProxyHeaders, section?.KeyOf(nameof(ProxyNetOptions.ProxyHeaders)) ?? "Proxy:ProxyHeaders");
        var sources = new ConfiguredSources(section, environment, useEnvironment, proxiesFromEnvironment: pacUrl is null, proxyHeaders);

        // Section 7's order: explicit options, PacUrl, the environment, AutoDetect (WPAD), the desktop's settings. The
        // last two answer only when nothing before them names a proxy.
        string? later = null;
        IDynamicProxySource? dynamicSource = null;
        if (pacUrl is null && section is not null && (section.AutoDetect || section.UseSystemProxy) && !sources.EnvironmentNamesAProxy())
        {
            var system = section.UseSystemProxy ? SystemSettings.SystemProxySource.ForPlatform(environment, pac, warn) : null;
            dynamicSource = section.AutoDetect ? new WpadSource(pac, warn, WpadLocator.Machine, system, searchNow: true) : system;
            later = (section.AutoDetect, section.UseSystemProxy) switch
            {
                (true, true) => "Proxy:AutoDetect = true (WPAD), then Proxy:UseSystemProxy = true (the desktop's settings), asked after NO_PROXY",
                (true, false) => "Proxy:AutoDetect = true (WPAD, asked after NO_PROXY)",
                _ => "Proxy:UseSystemProxy = true (the desktop's settings, asked after NO_PROXY)",
            };
        }

        var proxies = new ProxyDecision?[4];
        var trails = new IReadOnlyList<string>[4];
        foreach (ProxyScheme scheme in Enum.GetValues<ProxyScheme>())
        {
            var trail = new List<string>();
            proxies[(int)scheme] = sources.Resolve(scheme, trail);
            if (pacUrl is not null && proxies[(int)scheme] is null && scheme != ProxyScheme.Grpc)
            {
                trail.Add($"Proxy:PacUrl = {Redaction.Url(pacUrl)} (asked after NO_PROXY; the proxy variables are not read)");
            }
            else if (later is not null && proxies[(int)scheme] is null && scheme != ProxyScheme.Grpc)
            {
                trail.Add(later);
            }

            trails[(int)scheme] = trail;
        }

        var (entries, bypassSource) = sources.NoProxy();
        var all = entries.Select(e => (e, bypassSource));
        if (section?.BypassLoopback == true)
        {
            all = all.Concat(LoopbackEntries.Select(e => (e, nameof(ProxyNetOptions.BypassLoopback))));
            bypassSource = entries.Count == 0 ? nameof(ProxyNetOptions.BypassLoopback) : $"{bypassSource} and {nameof(ProxyNetOptions.BypassLoopback)}";
        }

        var bypass = BypassList.Parse(all, warnings);

        // Broken trust material fails every request with its message: never a silently empty trust. So does a value
        // the binder could not read (a reload that validation refused never gets here; direct callers may).
        Tls.TransportSettings? transport = null;
        string? transportError = null;
        try
        {
            transport = TlsOf(section, environment);
        }
        catch (ProxyConfigurationException e)
        {
            transportError = e.Message;
        }

        var egress = section?.AllowedDirect is { Count: > 0 } allowed
            ? BypassList.Parse(allowed.SelectMany(BypassList.Split).Select(e => (e, section!.KeyOf(nameof(ProxyNetOptions.AllowedDirect)))), warnings)
            : null;
        var loginHosts = BypassList.Parse((section?.LoginHosts ?? []).SelectMany(BypassList.Split).Select(e => (e, section?.KeyOf(nameof(ProxyNetOptions.LoginHosts)) ?? "Proxy:LoginHosts")), warnings);
        string[] unreadable = [.. options?.BindingErrors ?? [], .. PacUrlErrors(pacUrl, pac, section?.KeyOf(nameof(ProxyNetOptions.PacUrl)) ?? "Proxy:PacUrl"), .. AutoDetectErrors(section, pac), .. headerErrors];
        string? fatal = unreadable.Length > 0 ? string.Join("; ", unreadable) : transportError;
        return new ProxySettings(proxies, trails, bypass, bypassSource, warnings, transport, fatal)
        {
            Egress = egress,
            CloudMetadata = section?.BypassCloudMetadata ?? true,
            Pac = pacUrl is null ? null : new PacSource(pacUrl, pac, warn, originValidation: transport?.OriginValidation()),
            Dynamic = pacUrl is null ? dynamicSource : null,
            DynamicLogin = sources.Decorates ? d => sources.DecorateNamedByScript(d, loginHosts, warn) : null,
            Unreadable = transportError is null ? unreadable : [.. unreadable, transportError],
        };
    }

    private static IEnumerable<string> AutoDetectErrors(ProxyNetOptions? section, IProxyAutoConfig? pac)
    {
        if (section is { AutoDetect: true } && pac is null)
        {
            yield return $"{section.KeyOf(nameof(ProxyNetOptions.AutoDetect))} is true but no PAC script engine is registered: add the Proxy.Net.Pac package and call services.AddProxyNet(...).AddPac()";
        }
    }

    private static IEnumerable<string> PacUrlErrors(string? pacUrl, IProxyAutoConfig? pac, string key)
    {
        if (pacUrl is null)
        {
            yield break;
        }

        if (pacUrl.Contains("://", StringComparison.Ordinal)
            && (!Uri.TryCreate(pacUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "file")))
        {
            yield return $"{key}: '{Redaction.Url(pacUrl)}' is not an http://, https:// or file:// URL or a file path";
        }
        else if (pac is null)
        {
            yield return PacSource.NoEngine(pacUrl);
        }
    }

    private static Tls.TransportSettings? TlsOf(ProxyNetOptions? section, Func<string, string?> environment)
    {
        if (section is null)
        {
            return null;
        }

        var tls = section.Tls;
        bool configured = tls.OriginCaCertificates.Count > 0 || tls.ProxyCaCertificates.Count > 0 || tls.ReplaceSystemTrust
            || tls.UseEnvironmentCaBundles || tls.ProxyClientCertificates is not null || tls.DangerousAcceptAnyServerCertificate
            || tls.DangerousAcceptAnyProxyCertificate;
        return configured ? Tls.TransportSettings.From(tls, environment) : null;
    }

    /// <summary>Every error of this configuration (broken proxy settings, trust material, unreadable values), once each.</summary>
    public IReadOnlyList<string> Errors =>
        Unreadable
            .Concat(_proxies.Where(p => p is { IsError: true }).Select(p => p!.Error!))
            .Distinct(StringComparer.Ordinal)
            .ToList();

    public ProxyDecision Resolve(Uri uri, bool grpc = false)
    {
        if (_fatal is not null)
        {
            return _fatal;
        }

        if (SchemeOf(uri) is not { } scheme)
        {
            return UnsupportedScheme;
        }

        if (!HostNames.TryGetIdnHost(uri, out string host))
        {
            return ProxyDecision.Failed($"the host of {Redaction.Url(uri)} has no valid international (IDN) form");
        }

        if (CloudMetadata && MetadataPreset.TryGetValue(host.EndsWith('.') ? host[..^1] : host, out var metadata))
        {
            return metadata;
        }

        ProxyDecision? decision = grpc ? _proxies[(int)ProxyScheme.Grpc] ?? _proxies[(int)scheme] : _proxies[(int)scheme];
        if (decision is null)
        {
            // A bypassed host never reaches the script (section 7).
            IDynamicProxySource? source = (IDynamicProxySource?)Pac ?? Dynamic;
            if (source is null)
            {
                return _none[(int)scheme];
            }

            if (Bypass.Match(host, uri.Port) is { } bypassed)
            {
                return bypassed.Decision;
            }

            var answer = source.Resolve(uri, host);
            return DynamicLogin is null || answer.IsError ? answer : _decorated.GetValue(answer, DynamicLogin);
        }

        if (decision.IsError)
        {
            return decision;
        }

        return Bypass.Match(host, uri.Port)?.Decision ?? decision;
    }

    internal static ProxyScheme? SchemeOf(Uri uri) => uri.Scheme switch
    {
        "http" or "ws" => ProxyScheme.Http,
        "https" or "wss" => ProxyScheme.Https,
        "ftp" => ProxyScheme.Ftp,
        _ => null,
    };
}
