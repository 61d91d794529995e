using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ProxyNet.Tls;

namespace ProxyNet.Tests.Tls;

/// <summary>Trust from our CA files asks what the system store asks: the leaf must be for server authentication.</summary>
public sealed class ServerAuthenticationUsageTests : IDisposable
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private const string CodeSigning = "1.3.6.1.5.5.7.3.3";

    private readonly RSA _caKey = RSA.Create(2048);
    private readonly X509Certificate2 _ca;

    public ServerAuthenticationUsageTests()
    {
        var request = new CertificateRequest("CN=Usage Test CA", _caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    public void Dispose()
    {
        _ca.Dispose();
        _caKey.Dispose();
    }

    [Theory]
    [InlineData(new[] { CodeSigning }, false)]
    [InlineData(new[] { ClientAuth }, false)]
    [InlineData(new[] { ServerAuth }, true)]
    [InlineData(new[] { ClientAuth, ServerAuth }, true)]
    [InlineData(new string[0], true)]
    public void A_leaf_from_a_trusted_CA_must_allow_server_authentication(string[] usages, bool accepted)
    {
        using var leaf = Leaf(usages);
        Assert.Equal(accepted, TransportSettings.ChainsTo([_ca], leaf, null, SslPolicyErrors.RemoteCertificateChainErrors, out var status));
        Assert.Equal(accepted, !status.HasFlag(X509ChainStatusFlags.NotValidForUsage));
    }

    [Fact]
    public void The_refusal_says_the_certificate_is_not_for_server_authentication()
    {
        using var leaf = Leaf([CodeSigning]);
        var validator = new CertificateValidator([_ca], replaceSystemTrust: true, acceptAny: false, "origin");
        Assert.False(validator.Validate("server.test", leaf, null, SslPolicyErrors.RemoteCertificateChainErrors, out string? failure));
        Assert.Contains("not for server authentication", failure, StringComparison.Ordinal);
    }

    /// <summary>A leaf for server.test issued by the test CA, with an EKU extension listing <paramref name="usages"/> (none: no extension).</summary>
    private X509Certificate2 Leaf(string[] usages)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=server.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("server.test");
        request.CertificateExtensions.Add(names.Build());
        if (usages.Length > 0)
        {
            var oids = new OidCollection();
            foreach (string usage in usages)
            {
                oids.Add(new Oid(usage));
            }

            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(oids, false));
        }

        using var issued = request.Create(_ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), [1, 2, 3, 4, (byte)usages.Length]);
        return issued.CopyWithPrivateKey(key);
    }
}
