using System.Security.Cryptography.X509Certificates;

namespace ProxyNet.Tls;

/// <summary>
/// Certificate trust for origins (the servers requests go to) and for HTTPS proxies, apart from each other:
/// a corporate proxy's CA can be trusted for the proxy only while origins keep the system store.
/// Sources are file paths, directories or inline PEM (PEM, DER, PKCS#7, bundles).
/// </summary>
/// <example>
/// <code>
/// services.AddProxyNet(o =>
/// {
///     o.HttpsProxy = "https://proxy.corp:3129";
///     o.Tls.ProxyCaCertificates.Add("/etc/ssl/corp-proxy-ca.pem");   // the proxy's own certificate
///     o.Tls.OriginCaCertificates.Add("/etc/ssl/mitm-ca.pem");        // a proxy that re-signs TLS
/// });
/// </code>
/// </example>
public sealed class ProxyTlsOptions
{
    /// <summary>The keys as the configuration wrote them (<c>Bad:SslCA</c>), by option name, for error messages.</summary>
    internal Dictionary<string, string> WrittenKeys { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The key for option <paramref name="name"/> as written, else <c>Tls:name</c>.</summary>
    internal string KeyOf(string name) => WrittenKeys.TryGetValue(name, out string? written) ? written : $"Tls:{name}";

    /// <summary>Extra CA certificates trusted for origins, added to the system store.</summary>
    public IList<string> OriginCaCertificates { get; set; } = [];

    /// <summary>True: origins are trusted only through <see cref="OriginCaCertificates"/>, not the system store.</summary>
    public bool ReplaceSystemTrust { get; set; }

    /// <summary>
    /// True: also add the CA bundles named by <c>SSL_CERT_FILE</c>, <c>SSL_CERT_DIR</c> (':'-separated),
    /// <c>REQUESTS_CA_BUNDLE</c> and <c>NODE_EXTRA_CA_CERTS</c> to origin trust. All of them add; none replaces another.
    /// </summary>
    public bool UseEnvironmentCaBundles { get; set; }

    /// <summary>CA certificates trusted for an HTTPS proxy's own certificate (added to the system store).</summary>
    public IList<string> ProxyCaCertificates { get; set; } = [];

    /// <summary>Client certificates offered to an HTTPS proxy that asks for one.</summary>
    public X509Certificate2Collection? ProxyClientCertificates { get; set; }

    /// <summary>Accept any origin certificate. Dangerous: logged as a warning once per client.</summary>
    public bool DangerousAcceptAnyServerCertificate { get; set; }

    /// <summary>Accept any HTTPS proxy certificate (CARTO's <c>sslRejectUnauthorized: false</c>). Dangerous: logged once per client.</summary>
    public bool DangerousAcceptAnyProxyCertificate { get; set; }
}
