namespace ProxyNet.Http;

/// <summary>
/// The egress policy (<c>Proxy:AllowedDirect</c>) refused a DIRECT connection. Nothing was sent; the message names
/// the destination, why it would have gone DIRECT, and the setting that allows it.
/// </summary>
public sealed class ProxyEgressRefusedException : HttpRequestException
{
    /// <summary>Creates the exception.</summary>
    public ProxyEgressRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public ProxyEgressRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public ProxyEgressRefusedException()
        : base("The egress policy refused a DIRECT connection.")
    {
    }
}
