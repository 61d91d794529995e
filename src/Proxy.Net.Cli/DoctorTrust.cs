using ProxyNet.Tls;
using ProxyNet.Tunnel;
using static ProxyNet.Cli.DoctorCommand;

namespace ProxyNet.Cli;

/// <summary>
/// Origin trust and proxy trust, loaded apart: a broken origin CA file fails the origin checks and leaves the proxy
/// checks running, and the reverse. Both come from the same options <c>get</c> uses, so every TLS setting counts.
/// </summary>
internal sealed class DoctorTrust
{
    private DoctorTrust(ProxyCertificateTrust? origin, ProxyCertificateTrust? proxy, ProxyTlsOptions options)
    {
        Origin = origin;
        Proxy = proxy;
        Options = options;
    }

    public ProxyCertificateTrust? Origin { get; }

    public ProxyCertificateTrust? Proxy { get; }

    private ProxyTlsOptions Options { get; }

    public static DoctorTrust Load(ProxyTlsOptions options, List<Check> checks)
    {
        var origin = Try(checks, "origin trust", new ProxyTlsOptions
        {
            OriginCaCertificates = options.OriginCaCertificates,
            ReplaceSystemTrust = options.ReplaceSystemTrust,
            UseEnvironmentCaBundles = options.UseEnvironmentCaBundles,
            DangerousAcceptAnyServerCertificate = options.DangerousAcceptAnyServerCertificate,
        });
        var proxy = Try(checks, "proxy trust", new ProxyTlsOptions
        {
            ProxyCaCertificates = options.ProxyCaCertificates,
            DangerousAcceptAnyProxyCertificate = options.DangerousAcceptAnyProxyCertificate,
        });
        return new DoctorTrust(origin, proxy, options);
    }

    /// <summary>
    /// CONNECT options that log in (the endpoint's credentials, <c>UseDefaultCredentials</c> and <c>AuthSchemes</c>,
    /// as the resolver gave them to <c>get</c>) and check an HTTPS proxy's certificate as the handler does.
    /// </summary>
    public ProxyTunnelOptions TunnelOptions(ProxyEndpoint proxy, TimeSpan timeout)
    {
        var trust = Proxy;
        return new ProxyTunnelOptions
        {
            UseDefaultCredentials = proxy.UseDefaultCredentials,
            AuthSchemes = proxy.AuthSchemes,
            ConnectTimeout = timeout,
            ResponseTimeout = timeout,
            ProxyClientCertificates = Options.ProxyClientCertificates,
            ProxyCertificateValidation = (_, certificate, chain, errors) => trust is not null && trust.ValidateProxy(proxy.Host, certificate, chain, errors, out string? _),
        };
    }

    private static ProxyCertificateTrust? Try(List<Check> checks, string name, ProxyTlsOptions options)
    {
        try
        {
            return ProxyCertificateTrust.Load(options);
        }
        catch (ProxyConfigurationException e)
        {
            checks.Add(new(name, Verdict.Fail, e.Message));
            return null;
        }
    }
}
