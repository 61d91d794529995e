using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ProxyNet.Tls;

/// <summary>
/// One certificate check, with the reason put in words when it fails: which certificate, what is wrong with it,
/// and what to configure (expired, wrong host name, unknown CA).
/// </summary>
internal sealed class CertificateValidator(X509Certificate2Collection? extraRoots, bool replaceSystemTrust, bool acceptAny, string who)
{
    public bool Validate(string host, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? failure)
    {
        failure = null;
#pragma warning disable CA5359 // Asked for by name (Dangerous…, --insecure, SslRejectUnauthorized: false) and logged as a warning.
        if (acceptAny)
        {
            return true;
        }
#pragma warning restore CA5359

        var status = X509ChainStatusFlags.NoError;
        if (errors == SslPolicyErrors.None && !replaceSystemTrust)
        {
            return true;
        }

        if (extraRoots is { Count: > 0 } && TransportSettings.ChainsTo(extraRoots, certificate, chain, errors, out status))
        {
            return true;
        }

        foreach (var element in chain?.ChainStatus ?? [])
        {
            status |= element.Status;
        }

        failure = Describe(host, certificate, errors, status);
        return false;
    }

    private string Describe(string host, X509Certificate? certificate, SslPolicyErrors errors, X509ChainStatusFlags status)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return $"the {who} {host} sent no certificate";
        }

        using var cert = new X509Certificate2(certificate);
        string subject = PeerText.Escape(cert.Subject, 300);
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            string names = PeerText.Escape(cert.GetNameInfo(X509NameType.DnsName, false), 300);
            return $"the {who}'s certificate ({subject}) is for '{names}', not '{host}' (wrong host name)";
        }

        if (status.HasFlag(X509ChainStatusFlags.NotTimeValid))
        {
            return DateTime.UtcNow > cert.NotAfter.ToUniversalTime()
                ? $"the {who}'s certificate ({subject}) for {host} expired on {cert.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC"
                : $"the {who}'s certificate ({subject}) for {host} is not valid before {cert.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} UTC";
        }

        if (status.HasFlag(X509ChainStatusFlags.NotValidForUsage))
        {
            return $"the {who}'s certificate ({subject}) for {host} is not for server authentication (its extended key usage leaves out serverAuth)";
        }

        string setting = who == "proxy" ? "Tls:ProxyCaCertificates (proxynet --proxy-ca-file)" : "Tls:OriginCaCertificates (proxynet --ca-file)";
        if (status.HasFlag(X509ChainStatusFlags.UntrustedRoot) || status.HasFlag(X509ChainStatusFlags.PartialChain) || replaceSystemTrust)
        {
            return $"the {who}'s certificate ({subject}) for {host} is issued by '{PeerText.Escape(cert.Issuer, 300)}', a CA that is not trusted: add that CA to {setting}";
        }

        return $"the {who}'s certificate ({subject}) for {host} is not trusted ({status}): check it, or add its CA to {setting}";
    }
}
