using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ProxyNet.Resolution;
using ProxyNet.Tls;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.Tests.Tls;

/// <summary>
/// Every source shape TrustMaterial reads, in order, and every way a source is broken, as the whole sentence the
/// user reads: the setting, the file (or "inline PEM", or the directory), the block and the problem.
/// </summary>
public sealed class TrustMaterialSourcesTests : IDisposable
{
    private const string Setting = "Tls:OriginCaCertificates";
    private const string OpenSsl = "/usr/bin/openssl";

    private readonly TempFolder _temp = new("proxynet-trust-sources-");
    private readonly X509Certificate2 _a = TestPki.Ca("CN=Sources CA A");
    private readonly X509Certificate2 _b = TestPki.Ca("CN=Sources CA B");

    public void Dispose()
    {
        _temp.Dispose();
        _a.Dispose();
        _b.Dispose();
    }

    [Fact]
    public void Inline_PEM_loads_with_whitespace_before_and_after_it()
    {
        Assert.Equal([_a.Thumbprint], Thumbprints(TrustMaterial.Load(_a.ExportCertificatePem(), Setting)));
        Assert.Equal([_a.Thumbprint, _b.Thumbprint], Thumbprints(TrustMaterial.Load($"\n \t {_a.ExportCertificatePem()}\n{_b.ExportCertificatePem()}\n\n  ", Setting)));
    }

    [Fact]
    public void A_path_with_whitespace_around_it_is_the_trimmed_path()
    {
        string path = _temp.Write("a.pem", _a.ExportCertificatePem());
        Assert.Equal([_a.Thumbprint], Thumbprints(TrustMaterial.Load($"  {path}\t\n", Setting)));
        string missing = _temp.PathOf("none.pem");
        var error = Assert.Throws<ProxyConfigurationException>(() => TrustMaterial.Load($"  {missing} ", Setting));
        Assert.Equal($"{Setting}: '{missing}' is neither a file, a directory nor inline PEM", error.Message);
    }

    [Fact]
    public void A_bundle_keeps_its_certificates_in_order_and_skips_keys_and_CRLs()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string bundle = string.Join(
            '\n',
            "# a comment before the first block",
            key.ExportPkcs8PrivateKeyPem(),
            _b.ExportCertificatePem(),
            PemEncoding.WriteString("X509 CRL", [0x30, 0x03, 0x02, 0x01, 0x01]),
            key.ExportECPrivateKeyPem(),
            PemEncoding.WriteString("X509 CERTIFICATE", _a.RawData),
            key.ExportSubjectPublicKeyInfoPem());
        Assert.Equal([_b.Thumbprint, _a.Thumbprint], Thumbprints(TrustMaterial.Load(_temp.Write("bundle.pem", bundle), Setting)));
    }

    [Fact]
    public void DER_and_PKCS7_files_whatever_their_names()
    {
        Assert.Equal([_a.Thumbprint], Thumbprints(TrustMaterial.Load(_temp.WriteBytes("a.bin", _a.RawData), Setting)));
        byte[] p7 = new X509Certificate2Collection { _a, _b }.Export(X509ContentType.Pkcs7)!;
        Assert.Equal(Sorted(_a, _b), Sorted(TrustMaterial.Load(_temp.WriteBytes("bundle.p7b", p7), Setting)));
        Assert.Equal(Sorted(_a, _b), Sorted(TrustMaterial.Load(_temp.Write("bundle.txt", PemEncoding.WriteString("PKCS7", p7)), Setting)));
        Assert.Equal(Sorted(_a, _b), Sorted(TrustMaterial.Load(PemEncoding.WriteString("PKCS7", p7), Setting)));
    }

    [Fact]
    public void What_openssl_writes_loads_PKCS7_and_TRUSTED_CERTIFICATE()
    {
        string a = _temp.Write("a.pem", _a.ExportCertificatePem());
        string b = _temp.Write("b.pem", _b.ExportCertificatePem());
        string p7Pem = _temp.PathOf("bundle.p7.pem");
        string p7Der = _temp.PathOf("bundle.p7b");
        string trusted = _temp.PathOf("trusted.pem");
        OpenSslRun("crl2pkcs7", "-nocrl", "-certfile", a, "-certfile", b, "-out", p7Pem);
        OpenSslRun("crl2pkcs7", "-nocrl", "-certfile", a, "-certfile", b, "-outform", "DER", "-out", p7Der);
        OpenSslRun("x509", "-in", a, "-trustout", "-addtrust", "serverAuth", "-setalias", "corp", "-out", trusted);
        Assert.StartsWith("-----BEGIN PKCS7-----", File.ReadAllText(p7Pem), StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN TRUSTED CERTIFICATE-----", File.ReadAllText(trusted), StringComparison.Ordinal);

        Assert.Equal(Sorted(_a, _b), Sorted(TrustMaterial.Load(p7Pem, Setting)));
        Assert.Equal(Sorted(_a, _b), Sorted(TrustMaterial.Load(p7Der, Setting)));
        Assert.Equal([_a.Thumbprint], Thumbprints(TrustMaterial.Load(trusted, Setting)));
        Assert.Equal([_a.Thumbprint], Thumbprints(TrustMaterial.Load(File.ReadAllText(trusted), Setting)));
    }

    [Fact]
    public void A_directory_reads_only_certificate_names_in_ordinal_order()
    {
        string dir = Directory.CreateDirectory(_temp.PathOf("certs")).FullName;
        var cas = new List<X509Certificate2>();
        try
        {
            // One certificate per pattern; the names sort differently by pattern, by ordinal and by descending ordinal.
            string[] names = ["c.pem", "D.crt", "e.cer", "F.der", "g.p7b", "H.p7c", "a.0", "B.1"];
            foreach (string name in names)
            {
                var ca = TestPki.Ca($"CN=Directory CA {name}");
                cas.Add(ca);
                string path = Path.Combine(dir, name);
                switch (Path.GetExtension(name))
                {
                    case ".cer" or ".der":
                        File.WriteAllBytes(path, ca.RawData);
                        break;
                    case ".p7b":
                        File.WriteAllBytes(path, new X509Certificate2Collection(ca).Export(X509ContentType.Pkcs7)!);
                        break;
                    case ".p7c":
                        File.WriteAllText(path, PemEncoding.WriteString("PKCS7", new X509Certificate2Collection(ca).Export(X509ContentType.Pkcs7)!));
                        break;
                    default:
                        File.WriteAllText(path, ca.ExportCertificatePem());
                        break;
                }
            }

            // Certificates under other names are not read.
            foreach (string other in (string[])["README", "x.txt", "x.key", "x.pem.bak", "x.2", "pem"])
            {
                File.WriteAllText(Path.Combine(dir, other), _b.ExportCertificatePem());
            }

            Directory.CreateDirectory(Path.Combine(dir, "sub.pem"));
            File.WriteAllText(Path.Combine(dir, "sub.pem", "inner.pem"), _b.ExportCertificatePem());

            string[] expected = [.. names.Order(StringComparer.Ordinal).Select(n => cas[Array.IndexOf(names, n)].Thumbprint)];
            Assert.Equal(expected, Thumbprints(TrustMaterial.Load(dir, Setting)));
            Assert.Equal(expected, Thumbprints(TrustMaterial.Load($" {dir} ", Setting)));
        }
        finally
        {
            cas.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public void A_directory_without_certificates_says_so()
    {
        string dir = Directory.CreateDirectory(_temp.PathOf("empty")).FullName;
        var error = Assert.Throws<ProxyConfigurationException>(() => TrustMaterial.Load(dir, Setting));
        Assert.Equal($"{Setting}: directory {dir}: contains no certificate", error.Message);
        File.WriteAllText(Path.Combine(dir, "README"), _a.ExportCertificatePem());
        error = Assert.Throws<ProxyConfigurationException>(() => TrustMaterial.Load(dir, "SSL_CERT_DIR"));
        Assert.Equal($"SSL_CERT_DIR: directory {dir}: contains no certificate", error.Message);
    }

    [Fact]
    public void A_broken_file_in_a_directory_is_named_by_its_path()
    {
        string dir = Directory.CreateDirectory(_temp.PathOf("certs")).FullName;
        File.WriteAllText(Path.Combine(dir, "a.pem"), _a.ExportCertificatePem());
        File.WriteAllText(Path.Combine(dir, "b.pem"), string.Empty);
        var error = Assert.Throws<ProxyConfigurationException>(() => TrustMaterial.Load(dir, Setting));
        Assert.Equal($"{Setting}: {Path.Combine(dir, "b.pem")}: the file is empty", error.Message);
    }

    [Fact]
    public void Several_sources_add_up_and_blank_entries_are_skipped()
    {
        string a = _temp.Write("a.pem", _a.ExportCertificatePem());
        Assert.Equal([_a.Thumbprint, _b.Thumbprint], Thumbprints(TrustMaterial.Load(["", "   ", a, "\t\n", _b.ExportCertificatePem()], Setting)));
        Assert.Empty(TrustMaterial.Load([], Setting));
        Assert.Empty(TrustMaterial.Load(["", " "], Setting));
        var error = Assert.Throws<ProxyConfigurationException>(() => TrustMaterial.Load([a, "nowhere.pem"], "Tls:ProxyCaCertificates"));
        Assert.Equal("Tls:ProxyCaCertificates: 'nowhere.pem' is neither a file, a directory nor inline PEM", error.Message);
    }

    [Fact]
    public void An_empty_file()
    {
        string path = _temp.Write("empty.crt", string.Empty);
        Assert.Equal($"{Setting}: {path}: the file is empty", Error(path).Message);
    }

    [Fact]
    public void A_file_that_cannot_be_read_says_why()
    {
        // A Unix socket is a file that exists but cannot be opened (root reads any file whatever its mode).
        string path = _temp.PathOf("socket.pem");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        Assert.True(File.Exists(path));

        var error = Error(path);
        var inner = Assert.IsAssignableFrom<IOException>(error.InnerException);
        Assert.Equal($"{Setting}: {path}: cannot be read: {inner.Message}", error.Message);
    }

    [Fact]
    public void Malformed_base64_names_its_block()
    {
        const string broken = "-----BEGIN CERTIFICATE-----\nnot*base64!!\n-----END CERTIFICATE-----\n";
        string path = _temp.Write("broken.pem", _a.ExportCertificatePem() + "\n" + broken);
        var error = Error(path);
        Assert.IsNotType<ProxyConfigurationException>(error.InnerException);
        Assert.Equal($"{Setting}: {path}: PEM block 2 is malformed ({error.InnerException!.Message})", error.Message);

        error = Assert.Throws<ProxyConfigurationException>(() => TrustMaterial.Load(broken, Setting));
        Assert.Equal($"{Setting} (inline PEM): PEM block 1 is malformed ({error.InnerException!.Message})", error.Message);
    }

    [Fact]
    public void A_CERTIFICATE_block_that_is_no_certificate_names_its_number()
    {
        string bad = PemEncoding.WriteString("CERTIFICATE", [0x30, 0x03, 0x02, 0x01, 0x01]);
        string path = _temp.Write("bad.pem", _a.ExportCertificatePem() + "\n" + bad);
        var error = Error(path);
        Assert.IsAssignableFrom<CryptographicException>(error.InnerException);
        Assert.Equal($"{Setting}: {path}: certificate 2 cannot be decoded ({error.InnerException!.Message})", error.Message);

        error = Assert.Throws<ProxyConfigurationException>(() => TrustMaterial.Load(bad, Setting));
        Assert.Equal($"{Setting} (inline PEM): certificate 1 cannot be decoded ({error.InnerException!.Message})", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x02, 0x01, 0x01 })]
    [InlineData(new byte[] { 0x30, 0x10, 0x02, 0x01 })]
    [InlineData(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x01 })]
    public void A_TRUSTED_CERTIFICATE_block_that_is_no_certificate_names_its_number_and_type(byte[] content)
    {
        string path = _temp.Write("bad-trusted.pem", _a.ExportCertificatePem() + "\n" + PemEncoding.WriteString("TRUSTED CERTIFICATE", content));
        var error = Error(path);
        Assert.IsNotType<ProxyConfigurationException>(error.InnerException);
        Assert.Equal($"{Setting}: {path}: PEM block 2 (TRUSTED CERTIFICATE) is malformed ({error.InnerException!.Message})", error.Message);
    }

    [Fact]
    public void An_empty_TRUSTED_CERTIFICATE_block()
    {
        string path = _temp.Write("empty-trusted.pem", _a.ExportCertificatePem() + "\n-----BEGIN TRUSTED CERTIFICATE-----\n-----END TRUSTED CERTIFICATE-----\n");
        var error = Error(path);
        Assert.Null(error.InnerException);
        Assert.Equal($"{Setting}: {path}: PEM block 2 (TRUSTED CERTIFICATE) is empty", error.Message);
    }

    [Fact]
    public void A_PKCS7_block_that_is_no_bundle_names_its_block()
    {
        string path = _temp.Write("bad-p7.pem", _a.ExportCertificatePem() + "\n" + PemEncoding.WriteString("PKCS7", _b.RawData.AsSpan(0, _b.RawData.Length - 10)));
        var error = Error(path);
        Assert.IsNotType<ProxyConfigurationException>(error.InnerException);
        Assert.Equal($"{Setting}: {path} (PEM block 2): not a DER certificate or PKCS#7 bundle ({error.InnerException!.Message})", error.Message);
    }

    [Fact]
    public void A_PKCS7_bundle_without_certificates()
    {
        byte[] empty = new X509Certificate2Collection().Export(X509ContentType.Pkcs7)!;
        string der = _temp.WriteBytes("empty.p7b", empty);
        Assert.Equal($"{Setting}: {der}: not a DER certificate or PKCS#7 bundle", Error(der).Message);
        string pem = _temp.Write("empty.p7.pem", PemEncoding.WriteString("PKCS7", empty));
        Assert.Equal($"{Setting}: {pem} (PEM block 1): not a DER certificate or PKCS#7 bundle", Error(pem).Message);
    }

    [Fact]
    public void PEM_with_only_keys_contains_no_certificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string path = _temp.Write("key.pem", key.ExportPkcs8PrivateKeyPem());
        Assert.Equal($"{Setting}: {path}: contains no certificate", Error(path).Message);
        var error = Assert.Throws<ProxyConfigurationException>(() => TrustMaterial.Load(key.ExportSubjectPublicKeyInfoPem(), Setting));
        Assert.Equal($"{Setting} (inline PEM): contains no certificate", error.Message);
    }

    [Fact]
    public void Binary_garbage_is_no_DER_certificate()
    {
        string path = _temp.WriteBytes("garbage.der", [1, 2, 3, 4, 5]);
        // BouncyCastle reads no certificate from these bytes (no exception to quote).
        Assert.Equal($"{Setting}: {path}: not a DER certificate or PKCS#7 bundle", Error(path).Message);

        path = _temp.WriteBytes("truncated.der", _a.RawData.AsSpan(0, _a.RawData.Length - 10).ToArray());
        var error = Error(path);
        Assert.NotNull(error.InnerException);
        Assert.Equal($"{Setting}: {path}: not a DER certificate or PKCS#7 bundle ({error.InnerException.Message})", error.Message);
    }

    private static ProxyConfigurationException Error(string path) => Assert.Throws<ProxyConfigurationException>(() => TrustMaterial.Load(path, Setting));

    private static string[] Thumbprints(X509Certificate2Collection certificates) => [.. certificates.Select(c => c.Thumbprint)];

    private static string[] Sorted(params X509Certificate2[] certificates) => [.. certificates.Select(c => c.Thumbprint).Order(StringComparer.Ordinal)];

    private static string[] Sorted(X509Certificate2Collection certificates) => [.. certificates.Select(c => c.Thumbprint).Order(StringComparer.Ordinal)];

    private static void OpenSslRun(params string[] arguments)
    {
        Assert.True(File.Exists(OpenSsl), $"this test needs {OpenSsl} (apt-get install openssl)");
        var start = new ProcessStartInfo(OpenSsl, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"openssl {string.Join(' ', arguments)} failed (exit {process.ExitCode}): {errors}{output}");
    }
}
