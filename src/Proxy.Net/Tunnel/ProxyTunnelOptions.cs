using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ProxyNet.Tunnel;

/// <summary>Settings for one CONNECT tunnel: credentials, timeouts, limits and the trust for an HTTPS proxy.</summary>
public sealed class ProxyTunnelOptions
{
    /// <summary>Proxy credentials, sent (Basic) after the proxy answers 407. Defaults to the proxy URL's user information.</summary>
    public NetworkCredential? Credentials { get; set; }

    /// <summary>How long the TCP (and TLS) connection to the proxy may take. Default 30 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the proxy may take to answer the CONNECT. Default 30 s.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest CONNECT response header accepted; a larger one is refused as hostile. Default 16 KiB.</summary>
    public int MaxResponseHeaderBytes { get; set; } = 16 * 1024;

    /// <summary>For an <c>https://</c> proxy: CA certificates trusted for the proxy's own certificate, on top of the system store.</summary>
    public X509Certificate2Collection? ProxyTrustedCertificates { get; set; }

    /// <summary>For an <c>https://</c> proxy: a custom check of the proxy's certificate (replaces the default one).</summary>
    public RemoteCertificateValidationCallback? ProxyCertificateValidation { get; set; }

    /// <summary>For an <c>https://</c> proxy: client certificates offered to the proxy.</summary>
    public X509CertificateCollection? ProxyClientCertificates { get; set; }
}
