using System.Net;
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

    /// <summary>Where DIRECT connections may go (<c>Proxy:AllowedDirect</c>), or null when unrestricted.</summary>
    public BypassList? Egress { get; private init; }

    /// <summary>TLS trust from the options, or null when they set none (the pool's default applies).</summary>
    public Tls.TransportSettings? Transport { get; }

    /// <summary>The proxies this configuration names (one per scheme that has one).</summary>
    public IEnumerable<ProxyDecision> ProxyDecisions => _proxies.OfType<ProxyDecision>();

    public string BypassSource { get; }

    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Per scheme, what was looked at, in order, with values redacted.</summary>
    public IReadOnlyList<string>[] Trails { get; }

    public static ProxySettings FromEnvironment() => Compile(null, Environment.GetEnvironmentVariable);

    public static ProxySettings Compile(ProxyNetOptions? options, Func<string, string?> environment)
    {
        var warnings = new List<string>();
        var section = options is { Enabled: true } ? options : null;
        bool useEnvironment = section?.UseEnvironment ?? true;
        var sources = new ConfiguredSources(section, environment, useEnvironment);

        var proxies = new ProxyDecision?[4];
        var trails = new IReadOnlyList<string>[4];
        foreach (ProxyScheme scheme in Enum.GetValues<ProxyScheme>())
        {
            var trail = new List<string>();
            proxies[(int)scheme] = sources.Resolve(scheme, trail);
            trails[(int)scheme] = trail;
        }

        var (entries, bypassSource) = sources.NoProxy();
        var all = entries.Select(e => (e, bypassSource));
        if (section?.BypassLoopback == true)
        {
            all = all.Concat(LoopbackEntries.Select(e => (e, nameof(ProxyNetOptions.BypassLoopback))));
        }

        var bypass = BypassList.Parse(all, warnings);

        // Broken trust material fails every request with its message: never a silently empty trust.
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
            ? BypassList.Parse(allowed.SelectMany(BypassList.Split).Select(e => (e, "Proxy:AllowedDirect")), warnings)
            : null;
        return new ProxySettings(proxies, trails, bypass, bypassSource, warnings, transport, transportError) { Egress = egress };
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
            || tls.DangerousAcceptAnyProxyCertificate || section.SslCA is not null || !section.SslRejectUnauthorized;
        if (!configured)
        {
            return null;
        }

        // CARTO's names: SslCA is the proxy's CA, SslRejectUnauthorized: false accepts any proxy certificate.
        var merged = new Tls.ProxyTlsOptions
        {
            OriginCaCertificates = tls.OriginCaCertificates,
            ReplaceSystemTrust = tls.ReplaceSystemTrust,
            UseEnvironmentCaBundles = tls.UseEnvironmentCaBundles,
            ProxyCaCertificates = section.SslCA is { } ca ? [.. tls.ProxyCaCertificates, ca] : tls.ProxyCaCertificates,
            ProxyClientCertificates = tls.ProxyClientCertificates,
            DangerousAcceptAnyServerCertificate = tls.DangerousAcceptAnyServerCertificate,
            DangerousAcceptAnyProxyCertificate = tls.DangerousAcceptAnyProxyCertificate || !section.SslRejectUnauthorized,
        };
        return Tls.TransportSettings.From(merged, environment);
    }

    public ProxyDecision Resolve(Uri uri, bool grpc = false)
    {
        if (_fatal is not null)
        {
            return _fatal;
        }

        ProxyScheme scheme;
        switch (uri.Scheme)
        {
            case "http" or "ws":
                scheme = ProxyScheme.Http;
                break;
            case "https" or "wss":
                scheme = ProxyScheme.Https;
                break;
            case "ftp":
                scheme = ProxyScheme.Ftp;
                break;
            default:
                return UnsupportedScheme;
        }

        ProxyDecision? decision = grpc ? _proxies[(int)ProxyScheme.Grpc] ?? _proxies[(int)scheme] : _proxies[(int)scheme];
        if (decision is null)
        {
            return _none[(int)scheme];
        }

        if (decision.IsError)
        {
            return decision;
        }

        return Bypass.Match(uri)?.Decision ?? decision;
    }

    internal static ProxyScheme? SchemeOf(Uri uri) => uri.Scheme switch
    {
        "http" or "ws" => ProxyScheme.Http,
        "https" or "wss" => ProxyScheme.Https,
        "ftp" => ProxyScheme.Ftp,
        _ => null,
    };

    /// <summary>Where each setting comes from: the options section first, then (if allowed) the environment.</summary>
    private sealed class ConfiguredSources(ProxyNetOptions? section, Func<string, string?> environment, bool useEnvironment)
    {
        private const string Prefix = "Proxy:";

        public ProxyDecision? Resolve(ProxyScheme scheme, List<string> trail)
        {
            ProxyDecision? decision = FromSection(scheme, trail);
            if (decision is null && useEnvironment)
            {
                decision = FromEnvironment(scheme, trail);
            }

            if (decision?.Proxy is not null && section is { Username: { Length: > 0 } user })
            {
                var credentials = new NetworkCredential(user, section.Password ?? string.Empty);
                decision = decision.Candidates.Count > 1
                    ? ProxyDecision.ViaAny([.. decision.Candidates.Select(c => c.Proxy!.WithCredentials(credentials))], decision.Reason)
                    : ProxyDecision.Via(decision.Proxy.WithCredentials(credentials), decision.Reason);
                trail.Add($"{Prefix}Username/Password = {user}:{Redaction.Mask} (credentials for that proxy)");
            }

            return decision;
        }

        public (IReadOnlyList<string> Entries, string Source) NoProxy()
        {
            var fromSection = section?.ExcludedDomains.SelectMany(BypassList.Split).ToList();
            if (fromSection is { Count: > 0 })
            {
                return (fromSection, $"{Prefix}ExcludedDomains");
            }

            if (useEnvironment)
            {
                foreach (string name in (string[])["no_proxy", "NO_PROXY"])
                {
                    string? value = environment(name)?.Trim();
                    if (!string.IsNullOrEmpty(value))
                    {
                        return (BypassList.Split(value).ToList(), name);
                    }
                }
            }

            return ([], "NO_PROXY");
        }

        private ProxyDecision? FromSection(ProxyScheme scheme, List<string> trail)
        {
            if (section is null)
            {
                return null;
            }

            var (key, value) = scheme switch
            {
                ProxyScheme.Http => ("HttpProxy", section.HttpProxy),
                ProxyScheme.Https => ("HttpsProxy", section.HttpsProxy),
                ProxyScheme.Ftp => ("FtpProxy", section.FtpProxy),
                _ => ("GrpcProxy", section.GrpcProxy),
            };
            if (Use(Prefix + key, value, trail) is { } specific)
            {
                return specific;
            }

            if (scheme == ProxyScheme.Grpc)
            {
                return null;
            }

            if (Use(Prefix + "AllProxy", section.AllProxy, trail) is { } all)
            {
                return all;
            }

            if (string.IsNullOrWhiteSpace(section.Host))
            {
                return null;
            }

            if (section.InvalidPort is { } invalid)
            {
                trail.Add($"{Prefix}Port = {invalid} (not a number)");
                return ProxyDecision.Failed($"{Prefix}Port: port '{invalid}' is not a number");
            }

            string type = string.IsNullOrWhiteSpace(section.Type) ? "http" : section.Type.Trim().ToLowerInvariant();
            if (section.Port is { } port && port is < 1 or > 65535)
            {
                trail.Add($"{Prefix}Port = {port} (out of range)");
                return ProxyDecision.Failed($"{Prefix}Port: port {port} is out of range");
            }

            string host = section.Host.Trim();
            if (!host.Contains("://", StringComparison.Ordinal))
            {
                if (host.Count(c => c == ':') >= 2 && !host.StartsWith('['))
                {
                    host = $"[{host}]";
                }

                host = $"{type}://{host}";
            }

            if (section.Port is { } p)
            {
                host = $"{host.TrimEnd('/')}:{p}";
            }

            return Use(Prefix + "Host", host, trail);
        }

        private ProxyDecision? FromEnvironment(ProxyScheme scheme, List<string> trail)
        {
            string[] names = scheme switch
            {
                ProxyScheme.Http => ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"],
                ProxyScheme.Https => ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"],
                ProxyScheme.Ftp => ["ftp_proxy", "FTP_PROXY", "all_proxy", "ALL_PROXY"],
                _ => ["grpc_proxy", "GRPC_PROXY"],
            };
            bool cgi = environment("REQUEST_METHOD") is not null;
            foreach (string name in names)
            {
                if (cgi && name == "HTTP_PROXY")
                {
                    if (!string.IsNullOrWhiteSpace(environment(name)))
                    {
                        trail.Add("HTTP_PROXY ignored: REQUEST_METHOD is set (CGI rule, CVE-2016-5385)");
                    }

                    continue;
                }

                if (Use(name, environment(name), trail) is { } decision)
                {
                    return decision;
                }
            }

            return null;
        }

        private static ProxyDecision? Use(string source, string? value, List<string> trail)
        {
            value = value?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                // Unset options are noise in an explanation; unset variables are not (people expect them).
                if (!source.StartsWith(Prefix, StringComparison.Ordinal))
                {
                    trail.Add($"{source}: unset");
                }

                return null;
            }

            trail.Add($"{source} = {Redaction.RedactUserInfo(value)}");

            // Options may list several proxies in order (failover); environment variables hold one, as curl reads them.
            if (source.StartsWith(Prefix, StringComparison.Ordinal) && value.Contains(','))
            {
                var endpoints = new List<ProxyEndpoint>();
                foreach (string one in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!ProxyAddressParser.TryParse(one, source, out var each, out string? problem))
                    {
                        return ProxyDecision.Failed(problem!);
                    }

                    endpoints.Add(each!);
                }

                return ProxyDecision.ViaAny(endpoints, source);
            }

            return ProxyAddressParser.TryParse(value, source, out var endpoint, out string? error)
                ? ProxyDecision.Via(endpoint!, source)
                : ProxyDecision.Failed(error!);
        }
    }
}
