using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ProxyNet.IntegrationTests.Servers;

/// <summary>A throw-away test CA and server certificates it signs, made in the test run.</summary>
internal sealed class TestCertificates : IDisposable
{
    public TestCertificates(string name = "Proxy.Net Test CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        Authority = X509CertificateLoader.LoadPkcs12(ca.Export(X509ContentType.Pfx), null);
    }

    /// <summary>The CA, with its private key.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>The CA without its key, as a trust anchor.</summary>
    public X509Certificate2Collection Roots => [X509CertificateLoader.LoadCertificate(Authority.RawData)];

    public string AuthorityPem => Authority.ExportCertificatePem();

    /// <summary>A server certificate for localhost and 127.0.0.1 (and <paramref name="addresses"/>), signed by the CA.</summary>
    public X509Certificate2 IssueServer(string dnsName = "localhost", DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, bool includeLoopbackIp = true, IPAddress[]? addresses = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dnsName);
        if (includeLoopbackIp)
        {
            san.AddIpAddress(IPAddress.Loopback);
        }

        foreach (var address in addresses ?? [])
        {
            san.AddIpAddress(address);
        }
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        using var signed = request.Create(
            Authority,
            notBefore ?? DateTimeOffset.UtcNow.AddDays(-1),
            notAfter ?? DateTimeOffset.UtcNow.AddDays(30),
            serial);
        using var withKey = signed.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
    }

    public void Dispose() => Authority.Dispose();
}
