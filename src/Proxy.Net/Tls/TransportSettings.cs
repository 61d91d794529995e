using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ProxyNet.Tls;

/// <summary>
/// What every route's transport shares: extra trust for origins (added to the system store) and the
/// dangerous accept-anything switch. Built once; the validation callback does the chain work only when the
/// system store has already said no.
/// </summary>
internal sealed class TransportSettings
{
    public static TransportSettings Default { get; } = new();

    /// <summary>Extra CA certificates trusted for origins, on top of the system store.</summary>
    public X509Certificate2Collection? OriginRoots { get; init; }

    /// <summary>Extra CA certificates trusted for HTTPS proxies' own certificates.</summary>
    public X509Certificate2Collection? ProxyRoots { get; init; }

    /// <summary>Accept any origin certificate. Logged loudly by whoever sets it.</summary>
    public bool DangerousAcceptAnyOriginCertificate { get; init; }

    public RemoteCertificateValidationCallback? OriginValidation()
    {
        if (DangerousAcceptAnyOriginCertificate)
        {
#pragma warning disable CA5359 // The user asked for it by name (--insecure, SslRejectUnauthorized: false); it is logged as a warning.
            return static (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        var roots = OriginRoots;
        if (roots is null || roots.Count == 0)
        {
            return null;
        }

        return (_, certificate, chain, errors) => errors == SslPolicyErrors.None || ChainsTo(roots, certificate, chain, errors);
    }

    internal static bool ChainsTo(X509Certificate2Collection roots, X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        // A wrong host name stays an error whatever the trust: extra roots widen who may sign, nothing else.
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (certificate is X509Certificate2 typed)
        {
            return chain.Build(typed);
        }

        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
