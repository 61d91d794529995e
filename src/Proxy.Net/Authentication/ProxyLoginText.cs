namespace ProxyNet.Authentication;

/// <summary>
/// A proxy's 407 in the user's words, the same on every path that sees one (the plain-HTTP path, a CONNECT by .NET's
/// stack, <c>doctor</c>): what the proxy offered, whether credentials were sent and from which setting, why it failed,
/// and what to do. Never the password.
/// </summary>
internal static class ProxyLoginText
{
    /// <param name="proxy">The proxy that answered 407.</param>
    /// <param name="named">The proxy as shown, with the setting that named it (<c>http://p:3128 (HTTPS_PROXY)</c>).</param>
    /// <param name="setting">The setting that named the proxy (<c>HTTPS_PROXY</c>), where credentials can be given.</param>
    /// <param name="destination">The <c>host:port</c> the request was for.</param>
    /// <param name="offered">The schemes the proxy named, or null when they could not be read.</param>
    public static string Failure(ProxyEndpoint proxy, string named, string setting, string destination, IReadOnlyList<string>? offered)
    {
        string list = offered is null ? "schemes that could not be read" : offered.Count > 0 ? string.Join(", ", offered) : "no scheme it names";
        string? user = proxy.Credentials?.UserName ?? (proxy.Login.UseDefaultCredentials ? "the current user" : null);
        if (user is null)
        {
            string passwordless = offered?.Any(o => o is "Negotiate" or "NTLM" || o.Equals("negotiate", StringComparison.OrdinalIgnoreCase) || o.Equals("ntlm", StringComparison.OrdinalIgnoreCase)) == true
                ? "; for a Kerberos or NTLM login as the current user, set UseDefaultCredentials"
                : string.Empty;
            return $"Proxy {named} requires a login (407 Proxy Authentication Required) for {destination}, and no credentials were sent: it offered {list}. "
                + $"Put the user name and password in {setting} (before the host, ending with '@'), or set Username and Password in the proxy configuration{passwordless}.";
        }

        string shown = proxy.Credentials is null ? user : $"user '{user}'";
        string[] allowed = [.. proxy.Login.SchemeNames()];
        string? tried = offered is null
            ? null
            : allowed.FirstOrDefault(n => offered.Contains(n, StringComparer.OrdinalIgnoreCase));
        if (offered is not null && tried is null)
        {
            return $"Proxy {named} refused the request (407 Proxy Authentication Required) for {destination}: it offered {list}, and AuthSchemes ({string.Join(", ", allowed)}) allows none of them, so no login of {shown} was sent. "
                + "Allow one of the offered schemes in AuthSchemes.";
        }

        string from = proxy.Credentials is not null && proxy.CredentialSource is { } source ? $" (from {source})" : string.Empty;
        string prefix = proxy.Credentials is null
            ? $"Proxy {named} rejected the login of {shown} (407 Proxy Authentication Required) for {destination}"
            : $"Proxy {named} rejected the credentials for user '{user}' (407 Proxy Authentication Required) for {destination}";
        string scheme = tried ?? "the login";
        string why = proxy.Credentials is not null
            ? "wrong password or unknown user"
            : tried is "Negotiate" or "NTLM" ? "no Kerberos ticket (run kinit), an expired one, or gss-ntlmssp missing for NTLM" : "no password to send";
        string advice = proxy.Credentials is not null
            ? " Check the user name and password; inside a URL, '@', ':' and '/' in them must be percent-encoded."
            : string.Empty;
        string triedText = tried is null ? $"sent a login as {shown}{from}" : $"tried {tried} as {shown}{from}";
        return $"{prefix}: it offered {list}; {triedText}; the proxy rejected the {(tried is null ? "login" : scheme + " login")} of {shown} ({why}).{advice}";
    }
}
