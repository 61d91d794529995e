using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ProxyNet.Tls;

/// <summary>
/// <see cref="ProxyTlsOptions"/> loaded once: the certificates parsed, the validation callbacks built.
/// <see cref="Fingerprint"/> keys the connection pools, so equal settings share warm connections.
/// </summary>
internal sealed class TransportSettings
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    public static TransportSettings Default { get; } = new();

    public X509Certificate2Collection? OriginRoots { get; init; }

    public bool ReplaceSystemTrust { get; init; }

    public X509Certificate2Collection? ProxyRoots { get; init; }

    public X509Certificate2Collection? ProxyClientCertificates { get; init; }

    public bool DangerousAcceptAnyOriginCertificate { get; init; }

    public bool DangerousAcceptAnyProxyCertificate { get; init; }

    public bool IsDangerous => DangerousAcceptAnyOriginCertificate || DangerousAcceptAnyProxyCertificate;

    public string Fingerprint => field ??= string.Join(
        '|',
        string.Join(',', OriginRoots?.Select(c => c.Thumbprint) ?? []),
        ReplaceSystemTrust,
        string.Join(',', ProxyRoots?.Select(c => c.Thumbprint) ?? []),
        string.Join(',', ProxyClientCertificates?.Select(c => c.Thumbprint) ?? []),
        DangerousAcceptAnyOriginCertificate,
        DangerousAcceptAnyProxyCertificate);

    /// <summary>The hash of <see cref="Fingerprint"/>, computed once.</summary>
    public int FingerprintHash => _fingerprintHash ??= StringComparer.Ordinal.GetHashCode(Fingerprint);

    private int? _fingerprintHash;

    public static TransportSettings From(ProxyTlsOptions? options, Func<string, string?> environment)
    {
        if (options is null)
        {
            return Default;
        }

        var origin = TrustMaterial.Load(options.OriginCaCertificates, options.KeyOf(nameof(ProxyTlsOptions.OriginCaCertificates)));
        if (options.UseEnvironmentCaBundles)
        {
            foreach (string variable in (string[])["SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS"])
            {
                if (environment(variable) is { Length: > 0 } value)
                {
                    origin.AddRange(TrustMaterial.Load(value, variable));
                }
            }

            foreach (string directory in (environment("SSL_CERT_DIR") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                origin.AddRange(TrustMaterial.Load(directory, "SSL_CERT_DIR"));
            }
        }

        if (options.ReplaceSystemTrust && origin.Count == 0)
        {
            throw new ProxyConfigurationException($"{options.KeyOf(nameof(ProxyTlsOptions.ReplaceSystemTrust))} is set but no origin CA certificate is configured: every origin would be refused");
        }

        return new TransportSettings
        {
            OriginRoots = origin.Count > 0 ? origin : null,
            ReplaceSystemTrust = options.ReplaceSystemTrust,
            ProxyRoots = options.ProxyCaCertificates.Count > 0 ? TrustMaterial.Load(options.ProxyCaCertificates, options.KeyOf(nameof(ProxyTlsOptions.ProxyCaCertificates))) : null,
            ProxyClientCertificates = options.ProxyClientCertificates,
            DangerousAcceptAnyOriginCertificate = options.DangerousAcceptAnyServerCertificate,
            DangerousAcceptAnyProxyCertificate = options.DangerousAcceptAnyProxyCertificate,
        };
    }

    /// <summary>
    /// The origin check: the system store (unless replaced) plus the extra roots. A failure throws
    /// <see cref="CertificateTrustException"/> with the reason in words, which ends the handshake and reaches the
    /// caller as the inner exception of that request's <see cref="HttpRequestException"/>.
    /// </summary>
    public RemoteCertificateValidationCallback OriginValidation()
    {
        var validator = new CertificateValidator(OriginRoots, ReplaceSystemTrust, DangerousAcceptAnyOriginCertificate, "origin");
        return (sender, certificate, chain, errors) =>
        {
            string host = (sender as SslStream)?.TargetHostName is { Length: > 0 } target ? target : "(unknown host)";
            return validator.Validate(host, certificate, chain, errors, out string? failure)
                ? true
                : throw new CertificateTrustException(failure!);
        };
    }

    public CertificateValidator ProxyValidator() => new(ProxyRoots, false, DangerousAcceptAnyProxyCertificate, "proxy");

    /// <summary>True when <paramref name="certificate"/> chains to one of <paramref name="roots"/> (name errors stay errors).</summary>
    internal static bool ChainsTo(X509Certificate2Collection roots, X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors, out X509ChainStatusFlags status)
    {
        status = X509ChainStatusFlags.NoError;
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);

        // As SslStream asks of the system store: a leaf whose extended key usage leaves out server authentication
        // (a code-signing or client certificate from the same CA) is no server certificate.
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ServerAuthentication));
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        bool ok;
        if (certificate is X509Certificate2 typed)
        {
            ok = chain.Build(typed);
        }
        else
        {
            using var leaf = new X509Certificate2(certificate);
            ok = chain.Build(leaf);
        }

        foreach (var s in chain.ChainStatus)
        {
            status |= s.Status;
        }

        return ok;
    }
}
