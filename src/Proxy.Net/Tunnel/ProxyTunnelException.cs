using System.Net;

namespace ProxyNet.Tunnel;

/// <summary>
/// The proxy did not open a tunnel: it refused the CONNECT (<see cref="StatusCode"/>), answered something that is not
/// HTTP, or sent a header too large to accept. The message names the proxy (never its credentials) and the target.
/// </summary>
public sealed class ProxyTunnelException : IOException
{
    /// <summary>Creates the exception.</summary>
    public ProxyTunnelException(string message, HttpStatusCode? statusCode = null, Exception? innerException = null)
        : base(message, innerException) => StatusCode = statusCode;

    /// <summary>Creates the exception with a default message.</summary>
    public ProxyTunnelException()
        : base("The proxy did not open a tunnel.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ProxyTunnelException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ProxyTunnelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The proxy's answer to CONNECT, when it sent a valid status line.</summary>
    public HttpStatusCode? StatusCode { get; }
}
