using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ProxyNet.Authentication;

namespace ProxyNet.Tunnel;

/// <summary>Settings for one CONNECT tunnel: credentials, timeouts, limits and the trust for an HTTPS proxy.</summary>
public sealed class ProxyTunnelOptions
{
    /// <summary>
    /// Proxy credentials, used with the strongest scheme the proxy offers (Negotiate, NTLM, Digest, Basic) after it
    /// answers 407. Defaults to the proxy URL's user information.
    /// </summary>
    public NetworkCredential? Credentials { get; set; }

    /// <summary>
    /// Without <see cref="Credentials"/>: log in to the proxy as the current user with Negotiate or NTLM (the Kerberos
    /// ticket cache from <c>kinit</c>, a client keytab named by <c>KRB5_CLIENT_KTNAME</c>, the Windows logon). Default false.
    /// </summary>
    public bool UseDefaultCredentials { get; set; }

    /// <summary>The login schemes that may answer a 407; the strongest one offered is used. Default <see cref="ProxyAuthSchemes.All"/>.</summary>
    public ProxyAuthSchemes AuthSchemes { get; set; } = ProxyAuthSchemes.All;

    /// <summary>
    /// Send known credentials as Basic on the first CONNECT, before any 407: saves a round trip to a proxy known to
    /// want Basic, and shows the password to a proxy that might have asked for something stronger. Default false.
    /// </summary>
    public bool PreemptiveBasic { get; set; }

    /// <summary>
    /// The bound on the whole tunnel setup: TCP connection, TLS to an https:// proxy, every CONNECT answer and login
    /// leg. Default 30 s.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the proxy may take to answer one CONNECT (within <see cref="ConnectTimeout"/>). Default 30 s.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest CONNECT response header accepted; a larger one is refused as hostile. Default 16 KiB.</summary>
    public int MaxResponseHeaderBytes { get; set; } = 16 * 1024;

    /// <summary>For an <c>https://</c> proxy: CA certificates trusted for the proxy's own certificate, on top of the system store.</summary>
    public X509Certificate2Collection? ProxyTrustedCertificates { get; set; }

    /// <summary>For an <c>https://</c> proxy: a custom check of the proxy's certificate (replaces the default one).</summary>
    public RemoteCertificateValidationCallback? ProxyCertificateValidation { get; set; }

    /// <summary>For an <c>https://</c> proxy: client certificates offered to the proxy.</summary>
    public X509CertificateCollection? ProxyClientCertificates { get; set; }

    /// <summary>
    /// Headers sent on the CONNECT request only (curl <c>--proxy-header</c>), after the endpoint's own <c>ProxyHeaders</c>.
    /// A name Proxy.Net sets itself (<c>Host</c>, <c>Proxy-Authorization</c>…) or a value with a line break is refused
    /// with an <see cref="ArgumentException"/> when the tunnel is opened.
    /// </summary>
    public IDictionary<string, string> ProxyHeaders { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
}
