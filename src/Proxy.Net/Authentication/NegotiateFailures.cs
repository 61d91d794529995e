using System.Net.Security;

namespace ProxyNet.Authentication;

/// <summary>Why a Negotiate or NTLM login could not even start, in words a user can act on.</summary>
internal static class NegotiateFailures
{
    private static readonly string[] NtlmMechanismFiles =
    [
        "/usr/lib/x86_64-linux-gnu/gssntlmssp/gssntlmssp.so",
        "/usr/lib/aarch64-linux-gnu/gssntlmssp/gssntlmssp.so",
        "/usr/lib64/gssntlmssp/gssntlmssp.so",
        "/usr/lib/gssntlmssp/gssntlmssp.so",
    ];

    public static string Describe(string package, NegotiateAuthenticationStatusCode status, bool asCurrentUser, string user, string targetName, bool midExchange)
    {
        if (package == "NTLM" && NtlmMechanismMissing())
        {
            return "NTLM on Linux needs the GSSAPI NTLM mechanism: install gss-ntlmssp (apt-get install gss-ntlmssp)";
        }

        if (asCurrentUser && package == "Negotiate" && !midExchange && status is not NegotiateAuthenticationStatusCode.TargetUnknown)
        {
            // GSSAPI often reports a missing or expired ticket as a generic failure: look at the cache itself.
            switch (KerberosTicketCache.Inspect(DateTimeOffset.UtcNow))
            {
                case KerberosTicketCache.TicketState.Expired:
                    status = NegotiateAuthenticationStatusCode.CredentialsExpired;
                    break;
                case KerberosTicketCache.TicketState.Missing when Environment.GetEnvironmentVariable("KRB5_CLIENT_KTNAME") is null || !File.Exists(Environment.GetEnvironmentVariable("KRB5_CLIENT_KTNAME")):
                    status = NegotiateAuthenticationStatusCode.UnknownCredentials;
                    break;
            }
        }

        return status switch
        {
            NegotiateAuthenticationStatusCode.UnknownCredentials or NegotiateAuthenticationStatusCode.InvalidCredentials when asCurrentUser && package == "NTLM" =>
                "NTLM as the current user needs a Windows logon (or gss-ntlmssp's NTLM_USER_FILE on Linux); give a user and password instead",
            NegotiateAuthenticationStatusCode.UnknownCredentials or NegotiateAuthenticationStatusCode.InvalidCredentials when asCurrentUser =>
                "no Kerberos ticket for the current user (run kinit, or set KRB5_CLIENT_KTNAME to a client keytab; on Windows log on to the domain)",
            NegotiateAuthenticationStatusCode.UnknownCredentials or NegotiateAuthenticationStatusCode.InvalidCredentials =>
                $"the login of user '{user}' was refused before reaching the proxy (wrong password, unknown user, or no KDC for its realm)",
            NegotiateAuthenticationStatusCode.CredentialsExpired =>
                "the Kerberos ticket has expired (run kinit again)",
            NegotiateAuthenticationStatusCode.TargetUnknown =>
                $"the KDC knows no service principal {targetName} (name the proxy by the DNS name its keytab was made for)",
            NegotiateAuthenticationStatusCode.InvalidToken or NegotiateAuthenticationStatusCode.OutOfSequence or NegotiateAuthenticationStatusCode.MessageAltered =>
                $"the proxy's {package} token could not be read ({status}): a broken or foreign acceptor",
            _ when midExchange =>
                $"{package} failed in the middle of the exchange ({status})",
            NegotiateAuthenticationStatusCode.Unsupported =>
                $"the system has no {package} security package",
            _ => $"{package} failed before anything was sent ({status}); with Kerberos: is there a ticket (klist), and does the KDC know {targetName}?",
        };
    }

    public static string Describe(string package, Exception e)
    {
        if (package == "NTLM" && NtlmMechanismMissing())
        {
            return "NTLM on Linux needs the GSSAPI NTLM mechanism: install gss-ntlmssp (apt-get install gss-ntlmssp)";
        }

        return e is PlatformNotSupportedException or DllNotFoundException or EntryPointNotFoundException or TypeInitializationException
            ? $"the system has no usable {package} support (on Linux: the GSSAPI library libgssapi_krb5.so.2, package libgssapi-krb5-2): {e.GetType().Name}"
            : $"the proxy's {package} challenge could not be processed ({e.GetType().Name}: {e.Message})";
    }

    private static bool NtlmMechanismMissing() => OperatingSystem.IsLinux() && !NtlmMechanismFiles.Any(File.Exists);
}
