using System.Net;
using ProxyNet.Bypass;

namespace ProxyNet.Resolution;

/// <summary>Where each setting comes from: the options section first, then (if allowed) the environment.</summary>
/// <remarks>With a PAC script configured, the environment's proxy variables are not read (<paramref name="proxiesFromEnvironment"/> false); its NO_PROXY still is.</remarks>
internal sealed class ConfiguredSources(ProxyNetOptions? section, Func<string, string?> environment, bool useEnvironment, bool proxiesFromEnvironment = true, IReadOnlyList<KeyValuePair<string, string>>? proxyHeaders = null)
{
    private readonly IReadOnlyList<KeyValuePair<string, string>> _headers = proxyHeaders ?? [];

    private const string Prefix = "Proxy:";

    public ProxyDecision? Resolve(ProxyScheme scheme, List<string> trail)
    {
        ProxyDecision? decision = FromSection(scheme, trail);
        if (decision is null && useEnvironment && proxiesFromEnvironment)
        {
            decision = FromEnvironment(scheme, trail);
        }

        return decision is null ? null : Decorate(decision, trail);
    }

    /// <summary>True when the section adds anything to a proxy: credentials, a login setting or proxy-only headers.</summary>
    public bool Decorates =>
        section is { Username.Length: > 0 } || _headers.Count > 0
        || (section is not null && new ProxyLogin(section.UseDefaultCredentials, section.AuthSchemes, section.PreemptiveBasic) != ProxyLogin.Default);

    /// <summary>
    /// The section's login for every proxy of <paramref name="decision"/>, wherever it came from (an option, the
    /// environment, a PAC script, WPAD, the desktop): credentials, UseDefaultCredentials/AuthSchemes/PreemptiveBasic,
    /// ProxyHeaders. DIRECT candidates stay DIRECT.
    /// </summary>
    public ProxyDecision Decorate(ProxyDecision decision, List<string>? trail = null)
    {
        if (decision.IsError || (decision.Proxy is null && decision.Candidates.All(c => c.Proxy is null)))
        {
            return decision;
        }

        if (section is { Username: { Length: > 0 } user })
        {
            var credentials = new NetworkCredential(user, section.Password ?? string.Empty);
            decision = decision.WithEachProxy(p => p.WithCredentials(credentials, $"{Prefix}Username and {Prefix}Password"));
            trail?.Add($"{Prefix}Username/Password = {user}:{Redaction.Mask} (credentials for that proxy)");
        }

        var login = section is null ? null : new ProxyLogin(section.UseDefaultCredentials, section.AuthSchemes, section.PreemptiveBasic);
        if (login is not null && login != ProxyLogin.Default)
        {
            decision = decision.WithEachProxy(p => p.WithLogin(login));
            trail?.Add($"{Prefix}UseDefaultCredentials = {login.UseDefaultCredentials}, AuthSchemes = {login.Schemes}, PreemptiveBasic = {login.PreemptiveBasic} (login for that proxy)");
        }

        if (_headers.Count > 0)
        {
            decision = decision.WithEachProxy(p => p.WithHeaders(_headers));
            trail?.Add($"{Prefix}ProxyHeaders = {string.Join(", ", _headers.Select(h => h.Key))} (sent to that proxy only)");
        }

        return decision;
    }

    /// <summary>
    /// The section's login for the proxies a PAC script, WPAD or the desktop named, only where
    /// <paramref name="loginHosts"/> (<c>Proxy:LoginHosts</c>) matches the proxy: a script from the network may name any
    /// host. Each proxy left without the login is said once (the warning names the option).
    /// </summary>
    public ProxyDecision DecorateNamedByScript(ProxyDecision decision, BypassList loginHosts, Action<string>? warn)
    {
        if (decision.IsError || (decision.Candidates.All(c => c.Proxy is null) && decision.Proxy is null))
        {
            return decision;
        }

        bool all = true;
        foreach (var proxy in decision.CandidateProxies.Append(decision.Proxy).OfType<ProxyEndpoint>())
        {
            if (loginHosts.Match(proxy.Host, proxy.Port) is null)
            {
                all = false;
                if (_withheld.Count < 64 && _withheld.TryAdd(proxy.Address, 0))
                {
                    warn?.Invoke($"{Prefix}Username/Password, UseDefaultCredentials and ProxyHeaders are not offered to {proxy.Address}: a script or the desktop named it and it does not match {Prefix}LoginHosts (add it there if it is yours)");
                }
            }
        }

        return all ? Decorate(decision) : decision.WithEachProxy(p => loginHosts.Match(p.Host, p.Port) is null ? p : Decorate(ProxyDecision.Via(p, decision.Reason)).Proxy!);
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _withheld = new(StringComparer.Ordinal);

    /// <summary>True when the environment (if it is read) names a proxy for any scheme: then it decides, not WPAD or the desktop.</summary>
    public bool EnvironmentNamesAProxy()
    {
        if (!useEnvironment)
        {
            return false;
        }

        bool cgi = environment("REQUEST_METHOD") is not null;
        string[] names = ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "ftp_proxy", "FTP_PROXY", "all_proxy", "ALL_PROXY", "grpc_proxy", "GRPC_PROXY"];
        return names.Any(name => !(cgi && name == "HTTP_PROXY") && !string.IsNullOrWhiteSpace(environment(name)));
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
        if (Use(Prefix + key, value, trail, section.KeyOf(key)) is { } specific)
        {
            return specific;
        }

        if (scheme == ProxyScheme.Grpc)
        {
            return null;
        }

        if (Use(Prefix + "AllProxy", section.AllProxy, trail, section.KeyOf("AllProxy")) is { } all)
        {
            return all;
        }

        if (string.IsNullOrWhiteSpace(section.Host))
        {
            return null;
        }

        string type = string.IsNullOrWhiteSpace(section.Type) ? "http" : section.Type.Trim().ToLowerInvariant();
        if (Array.IndexOf(ProxyAddressParser.Schemes, type) < 0)
        {
            trail.Add($"{section.KeyOf("Type")} = {PeerText.Escape(type, 40)} (not a proxy type)");
            return ProxyDecision.Failed($"{section.KeyOf("Type")}: '{PeerText.Escape(type, 40)}' is not a proxy type (use http, https, socks5, socks5h, socks4 or socks4a)");
        }

        if (section.Port is { } port && port is < 1 or > 65535)
        {
            trail.Add($"{section.KeyOf("Port")} = {port} (out of range)");
            return ProxyDecision.Failed($"{section.KeyOf("Port")}: port {port} is out of range");
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

        return Use(Prefix + "Host", host, trail, section.KeyOf("Host"));
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

    /// <param name="source">The reason a decision carries (<c>Proxy:HttpsProxy</c>, <c>HTTPS_PROXY</c>).</param>
    /// <param name="value">The value to read.</param>
    /// <param name="trail">The explanation being written.</param>
    /// <param name="written">The key as the configuration wrote it, for errors (<c>Bad:httpsProxy</c>); the source when null.</param>
    private static ProxyDecision? Use(string source, string? value, List<string> trail, string? written = null)
    {
        written ??= source;
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

        // Options may list several proxies in order (failover); environment variables hold one, as curl reads them.
        if (source.StartsWith(Prefix, StringComparison.Ordinal) && value.Contains(','))
        {
            var endpoints = new List<ProxyEndpoint>();
            string[] values = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            foreach (string one in values)
            {
                if (!ProxyAddressParser.TryParse(one, written, out var each, out string? problem))
                {
                    trail.Add($"{source} = {string.Join(", ", values.Select(ProxyAddressParser.Display))}");
                    return ProxyDecision.Failed(problem!);
                }

                endpoints.Add(each!);
            }

            trail.Add($"{source} = {string.Join(", ", values.Select(ProxyAddressParser.Display))}");
            return ProxyDecision.ViaAny(endpoints, source);
        }

        trail.Add($"{source} = {ProxyAddressParser.Display(value)}");
        return ProxyAddressParser.TryParse(value, written, out var endpoint, out string? error)
            ? ProxyDecision.Via(endpoint!, source)
            : ProxyDecision.Failed(error!);
    }
}
