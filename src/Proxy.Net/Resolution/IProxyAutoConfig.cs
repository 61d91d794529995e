namespace ProxyNet.Resolution;

/// <summary>
/// Runs proxy auto-config (PAC) scripts for the resolver. The resolver asks it when <see cref="ProxyNetOptions.PacUrl"/>
/// is set and no explicit proxy option applies (semantics, section 7); it maps the answer onto proxies, applies
/// NO_PROXY first and caches the decision. The <c>Proxy.Net.Pac</c> package provides one (<c>services.AddPac()</c>);
/// the core package carries no script engine.
/// </summary>
public interface IProxyAutoConfig
{
    /// <summary>
    /// The script now loaded from <paramref name="pacUrl"/>, fetching and compiling it the first time. Returns the
    /// same instance until the script changes (the resolver's cache is kept per instance).
    /// </summary>
    /// <exception cref="ProxyConfigurationException">No script from <paramref name="pacUrl"/> has ever loaded; the message names the URL.</exception>
    IProxyAutoConfigScript Load(string pacUrl);

    /// <summary>
    /// As <see cref="Load(string)"/>, fetching an <c>https://</c> script with <paramref name="originValidation"/>: the
    /// configuration's origin trust (<c>Tls:OriginCaCertificates</c>…), never the proxy's. Null: the system trust.
    /// </summary>
    /// <exception cref="ProxyConfigurationException">No script from <paramref name="pacUrl"/> has ever loaded; the message names the URL.</exception>
    IProxyAutoConfigScript Load(string pacUrl, System.Net.Security.RemoteCertificateValidationCallback? originValidation) => Load(pacUrl);

    /// <summary>
    /// Starts fetching <paramref name="pacUrl"/> in the background, so that the first request that needs the script
    /// does not pay for the whole fetch (the resolver calls it when a configuration names the URL). Returns at once.
    /// </summary>
    void Prepare(string pacUrl, System.Net.Security.RemoteCertificateValidationCallback? originValidation)
    {
    }

    /// <summary>Fetches every script in use again now (the configuration was reloaded); a failure keeps the last good script.</summary>
    void Refresh()
    {
    }
}

/// <summary>One loaded PAC script.</summary>
public interface IProxyAutoConfigScript
{
    /// <summary>
    /// Calls <c>FindProxyForURL(url, host)</c> (or <c>FindProxyForURLEx</c>) and returns its answer, such as
    /// <c>PROXY a:3128; DIRECT</c>.
    /// </summary>
    /// <exception cref="ProxyConfigurationException">The call threw, ran past a limit or returned no string; the message names the PAC URL.</exception>
    string FindProxyForUrl(string url, string host);

    /// <summary>
    /// As <see cref="FindProxyForUrl(string, string)"/>, adding to <paramref name="trace"/> one line per helper call the
    /// answer depended on (<c>dnsResolve("intranet.corp") = "10.1.2.3"</c>), for explanations. Not cached, not fast.
    /// </summary>
    /// <exception cref="ProxyConfigurationException">The call threw, ran past a limit or returned no string; the message names the PAC URL.</exception>
    string FindProxyForUrl(string url, string host, ICollection<string> trace) => FindProxyForUrl(url, host);
}
