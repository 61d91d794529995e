namespace ProxyNet.Resolution;

/// <summary>
/// The global proxy settings, bound from the <c>Proxy</c> configuration section. Key names follow
/// CARTO's <c>externalProxy</c> settings (semantics, section 6). Plain data: it is parsed and validated
/// once when the resolver compiles it, never per request.
/// </summary>
public sealed class ProxyNetOptions
{
    /// <summary>False: ignore these settings and use the environment only. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The global proxy host for every scheme (with <see cref="Port"/> and <see cref="Type"/>).</summary>
    public string? Host { get; set; }

    /// <summary>The global proxy port; defaults to the <see cref="Type"/>'s port (80, 443, 1080).</summary>
    public int? Port { get; set; }

    /// <summary>The global proxy's scheme: <c>http</c> (default), <c>https</c> or <c>socks5</c>.</summary>
    public string? Type { get; set; }

    /// <summary>Proxy URL for <c>http://</c> and <c>ws://</c> requests; overrides <see cref="Host"/>.</summary>
    public string? HttpProxy { get; set; }

    /// <summary>Proxy URL for <c>https://</c> and <c>wss://</c> requests; overrides <see cref="Host"/>.</summary>
    public string? HttpsProxy { get; set; }

    /// <summary>Proxy URL for <c>ftp://</c> requests; overrides <see cref="Host"/>.</summary>
    public string? FtpProxy { get; set; }

    /// <summary>Proxy URL for gRPC channels (like <c>GRPC_PROXY</c>); falls back to the scheme's proxy.</summary>
    public string? GrpcProxy { get; set; }

    /// <summary>Proxy URL for any scheme without its own; overrides <see cref="Host"/>.</summary>
    public string? AllProxy { get; set; }

    /// <summary>Proxy user name; overrides user information in the proxy URLs.</summary>
    public string? Username { get; set; }

    /// <summary>Proxy password; overrides user information in the proxy URLs. Never logged or printed.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// True: without <see cref="Username"/> (or user information in the proxy URL), log in to proxies as the current
    /// user with Negotiate/NTLM: the Kerberos ticket cache (<c>kinit</c>), a client keytab (<c>KRB5_CLIENT_KTNAME</c>),
    /// the Windows logon. On every path: plain-HTTP requests, CONNECT tunnels, FTP, WebSockets. Default false.
    /// </summary>
    public bool UseDefaultCredentials { get; set; }

    /// <summary>
    /// The proxy login schemes that may be used (configuration: a comma-separated list such as
    /// <c>"Negotiate, Digest"</c>); the strongest one the proxy offers wins. Default all.
    /// </summary>
    public ProxyAuthSchemes AuthSchemes { get; set; } = ProxyAuthSchemes.All;

    /// <summary>
    /// True: CONNECT tunnels send known credentials as Basic on the first request, before any 407 (saves a round
    /// trip; shows the password to a proxy that might have asked for more). Default false.
    /// </summary>
    public bool PreemptiveBasic { get; set; }

    /// <summary>
    /// NO_PROXY entries (configuration key <c>ExcludedDomains</c>, alias <c>NoProxy</c>). Each element may itself
    /// be a comma-separated list, as CARTO writes it.
    /// </summary>
    public IList<string> ExcludedDomains { get; set; } = [];

    /// <summary>
    /// Certificate trust for origins and for HTTPS proxies (configuration section <c>Proxy:Tls</c>; CARTO's keys
    /// <c>SslCA</c> and <c>SslRejectUnauthorized: false</c> bind to <see cref="Tls.ProxyTlsOptions.ProxyCaCertificates"/>
    /// and <see cref="Tls.ProxyTlsOptions.DangerousAcceptAnyProxyCertificate"/>).
    /// </summary>
    public Tls.ProxyTlsOptions Tls { get; set; } = new();

    /// <summary>
    /// A proxy auto-config (PAC) script: <c>http(s)://…</c>, <c>file:///…</c> or a file path. It decides for every scheme
    /// that no explicit proxy option names, instead of the environment's proxy variables; NO_PROXY / <see cref="ExcludedDomains"/>
    /// apply first. Needs a script engine: the <c>Proxy.Net.Pac</c> package (<c>services.AddProxyNet(...).AddPac()</c>).
    /// </summary>
    public string? PacUrl { get; set; }

    /// <summary>
    /// Headers for the proxy only (configuration section <c>Proxy:ProxyHeaders</c>, one key per header), like curl's
    /// <c>--proxy-header</c>: sent on every CONNECT (HTTPS, FTP, WebSockets, gRPC, tunnels) and on plain-HTTP requests
    /// to the proxy, where they are listed in <c>Connection</c> so the proxy removes them: never sent to an origin.
    /// Names Proxy.Net sets itself (<c>Host</c>, <c>Proxy-Authorization</c>, <c>Connection</c>…) and values with line
    /// breaks are configuration errors.
    /// </summary>
    public IDictionary<string, string> ProxyHeaders { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// True: when neither these settings, <see cref="PacUrl"/> nor the environment name a proxy, look for a PAC script by
    /// WPAD (DNS only: <c>http://wpad.&lt;suffix&gt;/wpad.dat</c> for each suffix of the machine's domain, longest first,
    /// never a top-level domain alone). Needs the <c>Proxy.Net.Pac</c> package. Default false.
    /// </summary>
    public bool AutoDetect { get; set; }

    /// <summary>
    /// True: when no other source names a proxy, use the desktop's proxy settings: Windows and macOS through .NET's
    /// system proxy, Linux GNOME (<c>org.gnome.system.proxy</c>, read with <c>gsettings</c>) or KDE (<c>kioslaverc</c>).
    /// Changes apply within seconds, without a restart. Default false.
    /// </summary>
    public bool UseSystemProxy { get; set; }

    /// <summary>True (default): what these settings leave unset comes from the environment variables.</summary>
    public bool UseEnvironment { get; set; } = true;

    /// <summary>
    /// Egress policy: when not empty, a DIRECT connection is allowed only to these hosts, CIDRs and ports (NO_PROXY
    /// grammar); any other DIRECT request fails before a packet is sent. Empty (default): DIRECT is unrestricted.
    /// </summary>
    public IList<string> AllowedDirect { get; set; } = [];

    /// <summary>
    /// Proxies (NO_PROXY grammar: names, domains, IPs, CIDRs, <c>host:port</c>) that a PAC script, WPAD or the
    /// desktop's settings may name and that still get <see cref="Username"/>/<see cref="Password"/>,
    /// <see cref="UseDefaultCredentials"/> and <see cref="ProxyHeaders"/>. Empty (default): those go only to the proxies
    /// the user named (the options and the proxy variables), because a script arrives over the network (WPAD by plain
    /// http) and may name any host, which would then receive the login — in clear when it offers only Basic.
    /// </summary>
    public IList<string> LoginHosts { get; set; } = [];

    /// <summary>
    /// True (default): the cloud metadata endpoints (<c>169.254.169.254</c>, <c>169.254.170.2</c>, <c>fd00:ec2::254</c>,
    /// <c>metadata.google.internal</c>) always go DIRECT, before any proxy setting, as botocore does: a proxied IMDS
    /// call is a common outage, and the proxy cannot reach the instance's link-local address anyway. The egress policy
    /// still applies. False: they are routed like any other host.
    /// </summary>
    public bool BypassCloudMetadata { get; set; } = true;

    /// <summary>True: <c>localhost</c>, <c>127.0.0.0/8</c> and <c>::1</c> always go DIRECT. Default false.</summary>
    public bool BypassLoopback { get; set; }

    /// <summary>Values the configuration binder could not read (<c>Proxy:Enabled: 'no' is not a boolean</c>): errors, never defaults.</summary>
    internal List<string> BindingErrors { get; } = [];

    /// <summary>
    /// The keys as the configuration wrote them, with the section's real path (<c>Bad:type</c>, <c>externalProxy:sslCA</c>),
    /// by option name; filled by the binder so that errors name what the user wrote. Options set in code have none.
    /// </summary>
    internal Dictionary<string, string> WrittenKeys { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The key for option <paramref name="name"/> as written, else <c>Proxy:name</c>.</summary>
    internal string KeyOf(string name) => WrittenKeys.TryGetValue(name, out string? written) ? written : $"Proxy:{name}";

    /// <summary>Returns a summary without the password.</summary>
    public override string ToString() =>
        $"ProxyNetOptions {{ Enabled = {Enabled}, Host = {Host}, Port = {Port}, Type = {Type}, Username = {Username}, Password = {(Password is null ? "null" : "***")} }}";
}
