namespace ProxyNet;

/// <summary>
/// The proxy login schemes Proxy.Net may answer a <c>407</c> with. Whatever is allowed, the strongest scheme the proxy
/// offers is tried first: Negotiate (Kerberos), NTLM, Digest, Basic.
/// </summary>
[Flags]
public enum ProxyAuthSchemes
{
    /// <summary>No login: a <c>407</c> is an error.</summary>
    None = 0,

    /// <summary>Basic: user and password in base64. Never sent over plain TCP to a proxy that offers a stronger allowed scheme.</summary>
    Basic = 1,

    /// <summary>Digest (RFC 7616): MD5 or SHA-256, <c>-sess</c>, <c>qop=auth</c>, <c>userhash</c>.</summary>
    Digest = 2,

    /// <summary>NTLM through the system's security package (gss-ntlmssp on Linux).</summary>
    Ntlm = 4,

    /// <summary>Negotiate (SPNEGO): Kerberos, or NTLM where the proxy and system fall back to it.</summary>
    Negotiate = 8,

    /// <summary>Every scheme (the default).</summary>
    All = Basic | Digest | Ntlm | Negotiate,
}
