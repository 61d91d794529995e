using System.Security.Authentication;

namespace ProxyNet.Tls;

/// <summary>
/// Thrown by Proxy.Net's certificate check with the failure in words. The TLS handshake and SocketsHttpHandler pass
/// it on as the inner exception of the request that hit it, so the words travel with that request and no other.
/// </summary>
internal sealed class CertificateTrustException : AuthenticationException
{
    public CertificateTrustException(string message)
        : base(message)
    {
    }

    public CertificateTrustException()
    {
    }

    public CertificateTrustException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
