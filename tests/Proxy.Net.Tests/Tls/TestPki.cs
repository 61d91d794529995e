using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ProxyNet.Tests.Tls;

/// <summary>Self-made CAs and the certificates they issue (ECDSA P-256: quick to make), for the trust tests.</summary>
internal static class TestPki
{
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    public const string CodeSigning = "1.3.6.1.5.5.7.3.3";

    /// <summary>Far enough either side of any test run for leaves with fixed dates (expired in 2020, not valid before 2035).</summary>
    public static readonly DateTimeOffset CaNotBefore = new(2019, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset CaNotAfter = new(2040, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A self-signed CA with its private key, valid 2019–2040.</summary>
    public static X509Certificate2 Ca(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(CaNotBefore, CaNotAfter);
    }

    /// <summary>An intermediate CA issued by <paramref name="issuer"/>, with its private key.</summary>
    public static X509Certificate2 Intermediate(X509Certificate2 issuer, string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using var issued = request.Create(issuer, CaNotBefore.AddDays(1), CaNotAfter.AddDays(-1), Serial());
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// A server certificate for <paramref name="dnsName"/> (subject CN=<paramref name="dnsName"/>, the name in the SAN) issued
    /// by <paramref name="issuer"/>, with its private key. Without dates it is valid from an hour ago for a week; without
    /// usages it has no extended key usage extension.
    /// </summary>
    public static X509Certificate2 Leaf(X509Certificate2 issuer, string dnsName, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, params string[] usages)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        if (usages.Length > 0)
        {
            var oids = new OidCollection();
            foreach (string usage in usages)
            {
                oids.Add(new Oid(usage));
            }

            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(oids, false));
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using var issued = request.Create(issuer, notBefore ?? DateTimeOffset.UtcNow.AddHours(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(7), Serial());
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>A self-signed certificate for <paramref name="dnsName"/> that is no CA (as a test server presents one).</summary>
    public static X509Certificate2 SelfSignedServer(string dnsName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7));
    }

    /// <summary>The chain the system store builds for <paramref name="leaf"/> (with <paramref name="extra"/> as intermediates), as a TLS stack hands it over.</summary>
    public static X509Chain SystemChain(X509Certificate2 leaf, params X509Certificate2[] extra)
    {
        var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ExtraStore.AddRange(extra);
        chain.Build(leaf);
        return chain;
    }

    /// <summary>A random positive serial number, so no two test certificates share issuer and serial.</summary>
    private static byte[] Serial()
    {
        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }
}

/// <summary>
/// The two trust worlds the Tls tests keep apart: an origin CA with its server.test leaf and a proxy CA with its
/// proxy.corp leaf, made for one test class and disposed with it.
/// </summary>
internal sealed class OriginAndProxyPki : IDisposable
{
    public OriginAndProxyPki(string name)
    {
        OriginCa = TestPki.Ca($"CN={name} Origin CA");
        ProxyCa = TestPki.Ca($"CN={name} Proxy CA");
        Origin = TestPki.Leaf(OriginCa, "server.test");
        Proxy = TestPki.Leaf(ProxyCa, "proxy.corp");
    }

    public X509Certificate2 OriginCa { get; }

    public X509Certificate2 ProxyCa { get; }

    /// <summary>The origin's certificate for server.test, issued by <see cref="OriginCa"/>.</summary>
    public X509Certificate2 Origin { get; }

    /// <summary>The proxy's certificate for proxy.corp, issued by <see cref="ProxyCa"/>.</summary>
    public X509Certificate2 Proxy { get; }

    public void Dispose()
    {
        Origin.Dispose();
        Proxy.Dispose();
        OriginCa.Dispose();
        ProxyCa.Dispose();
    }
}
