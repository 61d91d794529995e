namespace ProxyNet;

/// <summary>
/// The proxy configuration that applies to a request cannot be used (a malformed proxy URL, an unknown scheme).
/// The request is not sent: a mistyped proxy must not quietly send traffic around a mandatory egress proxy.
/// The message names the variable or option and never contains a password.
/// </summary>
public sealed class ProxyConfigurationException : InvalidOperationException
{
    /// <summary>Creates the exception with a message that names the setting.</summary>
    public ProxyConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public ProxyConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public ProxyConfigurationException()
        : base("The proxy configuration is not valid.")
    {
    }
}
