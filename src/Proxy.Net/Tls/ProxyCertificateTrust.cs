using System.Diagnostics.CodeAnalysis;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ProxyNet.Tls;

/// <summary>
/// The certificate checks a <see cref="ProxyTlsOptions"/> stands for, loaded once, as the handler applies them:
/// origin trust (system store unless replaced, plus the origin CAs and, when asked, the environment's CA bundles)
/// and proxy trust (system store plus the proxy CAs), apart from each other. For tools that check a connection
/// themselves (<c>proxynet doctor</c>) and must agree with the handler.
/// </summary>
public sealed class ProxyCertificateTrust
{
    private readonly TransportSettings _settings;
    private readonly CertificateValidator _origin;
    private readonly CertificateValidator _proxy;

    private ProxyCertificateTrust(TransportSettings settings)
    {
        _settings = settings;
        _origin = new CertificateValidator(settings.OriginRoots, settings.ReplaceSystemTrust, settings.DangerousAcceptAnyOriginCertificate, "origin");
        _proxy = settings.ProxyValidator();
    }

    /// <summary>
    /// Reads the certificates <paramref name="options"/> name (files, directories, inline PEM; <c>SSL_CERT_FILE</c>
    /// and the other bundles when <see cref="ProxyTlsOptions.UseEnvironmentCaBundles"/> is set).
    /// </summary>
    /// <exception cref="ProxyConfigurationException">A source is missing, empty or malformed; the message names the setting and the problem.</exception>
    public static ProxyCertificateTrust Load(ProxyTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ProxyCertificateTrust(TransportSettings.From(options, Environment.GetEnvironmentVariable));
    }

    /// <summary>
    /// The origin CA certificates the options name (an intercepting proxy's root, a private CA), beside the system
    /// store: for tools that hand them on, such as <c>proxynet env</c>'s merged bundle. A new collection each call.
    /// </summary>
    public X509Certificate2Collection OriginCertificates => [.. _settings.OriginRoots ?? []];

    /// <summary>True when any origin certificate is accepted (<see cref="ProxyTlsOptions.DangerousAcceptAnyServerCertificate"/>).</summary>
    public bool AcceptsAnyOriginCertificate => _settings.DangerousAcceptAnyOriginCertificate;

    /// <summary>True when any HTTPS proxy certificate is accepted (<see cref="ProxyTlsOptions.DangerousAcceptAnyProxyCertificate"/>).</summary>
    public bool AcceptsAnyProxyCertificate => _settings.DangerousAcceptAnyProxyCertificate;

    /// <summary>Checks an origin's certificate for <paramref name="host"/>; when it is refused, <paramref name="failure"/> says why and what to configure.</summary>
    public bool ValidateOrigin(string host, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, [NotNullWhen(false)] out string? failure) =>
        _origin.Validate(host, certificate, chain, errors, out failure);

    /// <summary>Checks an HTTPS proxy's own certificate for <paramref name="host"/>; when it is refused, <paramref name="failure"/> says why.</summary>
    public bool ValidateProxy(string host, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, [NotNullWhen(false)] out string? failure) =>
        _proxy.Validate(host, certificate, chain, errors, out failure);
}
