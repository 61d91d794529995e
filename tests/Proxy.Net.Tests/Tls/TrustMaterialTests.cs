using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ProxyNet.Resolution;
using ProxyNet.Tls;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.Tests.Tls;

/// <summary>Every shape of CA material loads, and every broken one is an error naming the file and the problem.</summary>
public sealed class TrustMaterialTests : IDisposable
{
    private readonly TempFolder _temp = new("proxynet-trust-");
    private readonly X509Certificate2 _a = SelfSigned("CN=Test CA A");
    private readonly X509Certificate2 _b = SelfSigned("CN=Test CA B");

    public void Dispose()
    {
        _temp.Dispose();
        _a.Dispose();
        _b.Dispose();
    }

    [Fact]
    public void A_PEM_file_and_a_concatenated_bundle()
    {
        Assert.Equal([_a.Thumbprint], Thumbprints(TrustMaterial.Load(_temp.Write("a.pem", _a.ExportCertificatePem()), "test")));
        string bundle = _temp.Write("bundle.crt", $"# comment lines are allowed\n{_a.ExportCertificatePem()}\n{_b.ExportCertificatePem()}\n");
        Assert.Equal([_a.Thumbprint, _b.Thumbprint], Thumbprints(TrustMaterial.Load(bundle, "test")));
    }

    [Fact]
    public void DER_PKCS7_DER_and_PKCS7_PEM()
    {
        Assert.Equal([_a.Thumbprint], Thumbprints(TrustMaterial.Load(_temp.WriteBytes("a.der", _a.RawData), "test")));
        byte[] p7 = new X509Certificate2Collection { _a, _b }.Export(X509ContentType.Pkcs7)!;
        Assert.Equal(2, TrustMaterial.Load(_temp.WriteBytes("bundle.p7b", p7), "test").Count);
        string p7Pem = PemEncoding.WriteString("PKCS7", p7);
        Assert.Equal(2, TrustMaterial.Load(_temp.Write("bundle.p7.pem", p7Pem), "test").Count);
    }

    [Fact]
    public void OpenSSL_TRUSTED_CERTIFICATE_blocks()
    {
        // The certificate followed by OpenSSL's auxiliary trust settings (here an empty SEQUENCE).
        byte[] trusted = [.. _a.RawData, 0x30, 0x00];
        string path = _temp.Write("trusted.pem", PemEncoding.WriteString("TRUSTED CERTIFICATE", trusted));
        Assert.Equal([_a.Thumbprint], Thumbprints(TrustMaterial.Load(path, "test")));
    }

    [Fact]
    public void A_directory_inline_PEM_and_keys_beside_certificates()
    {
        string dir = Directory.CreateDirectory(_temp.PathOf("certs")).FullName;
        File.WriteAllText(Path.Combine(dir, "a.pem"), _a.ExportCertificatePem());
        File.WriteAllBytes(Path.Combine(dir, "b.der"), _b.RawData);
        File.WriteAllText(Path.Combine(dir, "README"), "not a certificate, not loaded");
        Assert.Equal(2, TrustMaterial.Load(dir, "test").Count);
        Assert.Single(TrustMaterial.Load(_a.ExportCertificatePem(), "test"));
        using var key = ECDsa.Create();
        Assert.Single(TrustMaterial.Load(_temp.Write("with-key.pem", key.ExportPkcs8PrivateKeyPem() + "\n" + _a.ExportCertificatePem()), "test"));
    }

    [Theory]
    [InlineData("broken-base64", "PEM block 1 is malformed")]
    [InlineData("empty", "the file is empty")]
    [InlineData("garbage", "not a DER certificate or PKCS#7 bundle")]
    [InlineData("key-only", "contains no certificate")]
    [InlineData("missing", "is neither a file, a directory nor inline PEM")]
    [InlineData("bad-der-in-pem", "cannot be decoded")]
    public void Broken_material_is_an_error_naming_the_file_and_the_problem(string kind, string problem)
    {
        using var key = ECDsa.Create();
        string path = kind switch
        {
            "broken-base64" => _temp.Write("broken.pem", "-----BEGIN CERTIFICATE-----\nnot*base64!!\n-----END CERTIFICATE-----\n"),
            "empty" => _temp.Write("empty.pem", string.Empty),
            "garbage" => _temp.WriteBytes("garbage.der", [1, 2, 3, 4, 5]),
            "key-only" => _temp.Write("key.pem", key.ExportPkcs8PrivateKeyPem()),
            "bad-der-in-pem" => _temp.Write("bad.pem", PemEncoding.WriteString("CERTIFICATE", [0x30, 0x03, 0x02, 0x01, 0x01])),
            _ => _temp.PathOf("does-not-exist.pem"),
        };
        var error = Assert.Throws<ProxyConfigurationException>(() => TrustMaterial.Load(path, "Tls:OriginCaCertificates"));
        Assert.StartsWith("Tls:OriginCaCertificates", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.GetFileName(path), error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_trust_in_the_options_fails_requests_with_its_message_instead_of_trusting_nothing()
    {
        var settings = ProxySettings.Compile(new ProxyNetOptions { Tls = { OriginCaCertificates = [_temp.PathOf("nope.pem")] } }, _ => null);
        var decision = settings.Resolve(new Uri("https://example.com/"));
        Assert.True(decision.IsError);
        Assert.Contains("nope.pem", decision.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_bundles_are_opt_in_and_a_missing_one_names_its_variable()
    {
        string bundle = _temp.Write("env.pem", _a.ExportCertificatePem());
        var env = new Dictionary<string, string> { ["SSL_CERT_FILE"] = bundle, ["NODE_EXTRA_CA_CERTS"] = _temp.PathOf("missing.pem") };
        Assert.Null(TransportSettings.From(new ProxyTlsOptions(), env.GetValueOrDefault).OriginRoots);
        var error = Assert.Throws<ProxyConfigurationException>(() => TransportSettings.From(new ProxyTlsOptions { UseEnvironmentCaBundles = true }, env.GetValueOrDefault));
        Assert.StartsWith("NODE_EXTRA_CA_CERTS", error.Message, StringComparison.Ordinal);
        env.Remove("NODE_EXTRA_CA_CERTS");
        Assert.Single(TransportSettings.From(new ProxyTlsOptions { UseEnvironmentCaBundles = true }, env.GetValueOrDefault).OriginRoots!);
    }

    private static string[] Thumbprints(X509Certificate2Collection certificates) => [.. certificates.Select(c => c.Thumbprint)];



    private static X509Certificate2 SelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }
}
