using System.Net;
using System.Net.Security;

namespace ProxyNet.Authentication;

/// <summary>
/// Negotiate (Kerberos via SPNEGO) and NTLM through <see cref="NegotiateAuthentication"/>: the system GSSAPI on Linux
/// and macOS (gss-ntlmssp for NTLM), SSPI on Windows. Multi-leg: every leg must travel on the same connection.
/// </summary>
internal sealed class NegotiateAuthenticator : ISchemeAuthenticator
{
    private readonly NetworkCredential _credentials;
    private readonly bool _asCurrentUser;
    private readonly string _package;
    private readonly string _targetName;
    private NegotiateAuthentication? _context;
    private bool _sent;

    /// <param name="package"><c>Negotiate</c> or <c>NTLM</c>.</param>
    /// <param name="credentials">The user and password, or null to log in as the current user (ticket cache, keytab, Windows logon).</param>
    /// <param name="proxyHost">The proxy's host name: the service principal is <c>HTTP/host</c>.</param>
    public NegotiateAuthenticator(string package, NetworkCredential? credentials, string proxyHost)
    {
        _package = package;
        _asCurrentUser = credentials is null;
        _credentials = credentials ?? CredentialCache.DefaultNetworkCredentials;
        _targetName = $"HTTP/{proxyHost}";
    }

    public string Scheme => _package;

    public bool IsConnectionBased => true;

    /// <summary>True once the context is complete: a further 407 is a rejection, not a leg.</summary>
    public bool IsComplete => _context?.IsAuthenticated == true;

    public AuthStep Respond(AuthChallenge challenge, string method, string uri)
    {
        // squid 5 with negotiate_kerberos_auth writes a continuation as "Negotiate token=BLOB": read it as the blob.
        string? token = challenge.Token ?? challenge["token"];
        if (_sent && token is null)
        {
            return AuthStep.Fail(Rejected());
        }

        if (_sent && IsComplete)
        {
            return AuthStep.Fail(Rejected());
        }

        try
        {
            _context ??= new NegotiateAuthentication(new NegotiateAuthenticationClientOptions
            {
                Package = _package,
                Credential = _credentials,
                TargetName = _targetName,
                RequiredProtectionLevel = ProtectionLevel.None,
            });
            string? blob = _context.GetOutgoingBlob(token, out var status);
            if (status is not (NegotiateAuthenticationStatusCode.Completed or NegotiateAuthenticationStatusCode.ContinueNeeded) || blob is null)
            {
                return AuthStep.Fail(NegotiateFailures.Describe(_package, status, _asCurrentUser, _credentials.UserName, _targetName, _sent));
            }

            _sent = true;
            return AuthStep.Send($"{_package} {blob}");
        }
        catch (Exception e) when (e is PlatformNotSupportedException or DllNotFoundException or EntryPointNotFoundException
            or ArgumentException or InvalidOperationException or FormatException or System.ComponentModel.Win32Exception or TypeInitializationException)
        {
            // Among them the ArgumentOutOfRangeException of a managed NTLM path given a malformed challenge.
            return AuthStep.Fail(NegotiateFailures.Describe(_package, e));
        }
    }

    public void Dispose() => _context?.Dispose();

    private string Rejected() => _asCurrentUser
        ? $"the proxy rejected the {_package} login of the current user (its service key for {_targetName} may not match, or the user is not allowed)"
        : $"the proxy rejected the {_package} login of user '{_credentials.UserName}' (wrong password or unknown user)";
}
