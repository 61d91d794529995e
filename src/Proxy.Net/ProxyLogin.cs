namespace ProxyNet;

/// <summary>
/// How to log in to one proxy, from the options (<c>UseDefaultCredentials</c>, <c>AuthSchemes</c>,
/// <c>PreemptiveBasic</c>): carried by its <see cref="ProxyEndpoint"/> to every path that talks to it, so the
/// plain-HTTP handler, the tunnels, WebSockets and <c>doctor</c> log in the same way.
/// </summary>
internal sealed record ProxyLogin(bool UseDefaultCredentials, ProxyAuthSchemes Schemes, bool PreemptiveBasic)
{
    public static readonly ProxyLogin Default = new(false, ProxyAuthSchemes.All, false);

    /// <summary>The scheme names <see cref="System.Net.CredentialCache"/> and SocketsHttpHandler use, strongest first.</summary>
    public IEnumerable<string> SchemeNames()
    {
        if (Schemes.HasFlag(ProxyAuthSchemes.Negotiate))
        {
            yield return "Negotiate";
        }

        if (Schemes.HasFlag(ProxyAuthSchemes.Ntlm))
        {
            yield return "NTLM";
        }

        if (Schemes.HasFlag(ProxyAuthSchemes.Digest))
        {
            yield return "Digest";
        }

        if (Schemes.HasFlag(ProxyAuthSchemes.Basic))
        {
            yield return "Basic";
        }
    }
}
