using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace ProxyNet.Tls;

/// <summary>Certificate checks that add CA certificates to the system store, and hints for TLS errors.</summary>
internal static class TrustValidation
{
    /// <summary>Null (the system's default check) when there is nothing to add.</summary>
    public static RemoteCertificateValidationCallback? For(X509Certificate2Collection? extraRoots) =>
        extraRoots is null || extraRoots.Count == 0
            ? null
            : (_, certificate, chain, errors) => errors == SslPolicyErrors.None || TransportSettings.ChainsTo(extraRoots, certificate, chain, errors);

    public static string Hint(AuthenticationException e, string who) =>
        e.Message.Contains("UntrustedRoot", StringComparison.Ordinal) || e.Message.Contains("PartialChain", StringComparison.Ordinal)
            ? $" (the {who}'s certificate is signed by a CA this machine does not trust: add that CA as {(who == "proxy" ? "proxy" : "origin")} trust)"
            : string.Empty;
}
