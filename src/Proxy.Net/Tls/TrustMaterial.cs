using System.Security.Cryptography.X509Certificates;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Utilities.IO.Pem;
using Org.BouncyCastle.X509;
using ProxyNet.Resolution;

namespace ProxyNet.Tls;

/// <summary>
/// Loads CA certificates from a file, a directory or inline PEM: PEM (<c>CERTIFICATE</c>, <c>TRUSTED CERTIFICATE</c>,
/// <c>PKCS7</c>), DER, PKCS#7 bundles and concatenated bundles. BouncyCastle parses what .NET's loaders do not
/// (OpenSSL's trusted-certificate blocks, PKCS#7). A broken source is an error naming it and the problem; it never
/// becomes a silently empty trust.
/// </summary>
internal static class TrustMaterial
{
    private static readonly string[] DirectoryPatterns = ["*.pem", "*.crt", "*.cer", "*.der", "*.p7b", "*.p7c", "*.0", "*.1"];

    public static X509Certificate2Collection Load(IEnumerable<string> sources, string setting)
    {
        var all = new X509Certificate2Collection();
        foreach (string source in sources.Where(s => !string.IsNullOrWhiteSpace(s)))
        {
            all.AddRange(Load(source, setting));
        }

        return all;
    }

    public static X509Certificate2Collection Load(string source, string setting)
    {
        string trimmed = source.Trim();
        if (trimmed.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            return NonEmpty(ParsePem(trimmed, $"{setting} (inline PEM)"), $"{setting} (inline PEM)");
        }

        if (Directory.Exists(trimmed))
        {
            var certificates = new X509Certificate2Collection();
            foreach (string file in DirectoryPatterns.SelectMany(p => Directory.EnumerateFiles(trimmed, p)).Distinct().Order(StringComparer.Ordinal))
            {
                certificates.AddRange(LoadFile(file, setting));
            }

            return NonEmpty(certificates, $"{setting}: directory {trimmed}");
        }

        if (File.Exists(trimmed))
        {
            return LoadFile(trimmed, setting);
        }

        throw new ProxyConfigurationException($"{setting}: '{trimmed}' is neither a file, a directory nor inline PEM");
    }

    private static X509Certificate2Collection LoadFile(string path, string setting)
    {
        string where = $"{setting}: {path}";
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProxyConfigurationException($"{where}: cannot be read: {e.Message}", e);
        }

        if (bytes.Length == 0)
        {
            throw new ProxyConfigurationException($"{where}: the file is empty");
        }

        string text = Encoding.ASCII.GetString(bytes, 0, Math.Min(bytes.Length, 1 << 20));
        var certificates = text.Contains("-----BEGIN", StringComparison.Ordinal)
            ? ParsePem(Encoding.ASCII.GetString(bytes), where)
            : ParseDer(bytes, where);
        return NonEmpty(certificates, where);
    }

    private static X509Certificate2Collection ParsePem(string text, string where)
    {
        var certificates = new X509Certificate2Collection();
        using var reader = new PemReader(new StringReader(text));
        for (int block = 1; ; block++)
        {
            PemObject? pem;
            try
            {
                pem = reader.ReadPemObject();
            }
            catch (Exception e) when (e is not ProxyConfigurationException)
            {
                throw new ProxyConfigurationException($"{where}: PEM block {block} is malformed ({e.Message})", e);
            }

            if (pem is null)
            {
                break;
            }

            try
            {
                AddBlock(certificates, pem, where, block);
            }
            catch (Exception e) when (e is not ProxyConfigurationException)
            {
                // BouncyCastle's ASN.1 reader throws what it likes (IOException, ArgumentException, InvalidCastException,
                // EndOfStreamException) for a block that is base64 but not a certificate: one message naming the block.
                throw new ProxyConfigurationException($"{where}: PEM block {block} ({pem.Type}) is malformed ({e.Message})", e);
            }
        }

        return certificates;
    }

    private static void AddBlock(X509Certificate2Collection certificates, PemObject pem, string where, int block)
    {
        switch (pem.Type)
        {
            case "CERTIFICATE" or "X509 CERTIFICATE":
                certificates.Add(ToDotNet(pem.Content, where, block));
                break;
            case "TRUSTED CERTIFICATE":
                // OpenSSL's format: the certificate, then its trust settings; only the certificate counts here.
                using (var asn1 = new Asn1InputStream(pem.Content))
                {
                    var first = asn1.ReadObject() ?? throw new ProxyConfigurationException($"{where}: PEM block {block} (TRUSTED CERTIFICATE) is empty");
                    certificates.Add(ToDotNet(X509CertificateStructure.GetInstance(first).GetEncoded(), where, block));
                }

                break;
            case "PKCS7":
                certificates.AddRange(ParseDer(pem.Content, $"{where} (PEM block {block})"));
                break;
            default:
                // Keys and CRLs can share a bundle with certificates; they are not trust anchors.
                break;
        }
    }

    private static X509Certificate2Collection ParseDer(byte[] bytes, string where)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            foreach (var certificate in new X509CertificateParser().ReadCertificates(bytes))
            {
                certificates.Add(ToDotNet(certificate.GetEncoded(), where, certificates.Count + 1));
            }
        }
        catch (Exception e) when (e is not ProxyConfigurationException)
        {
            throw new ProxyConfigurationException($"{where}: not a DER certificate or PKCS#7 bundle ({e.Message})", e);
        }

        return certificates.Count > 0 ? certificates : throw new ProxyConfigurationException($"{where}: not a DER certificate or PKCS#7 bundle");
    }

    private static X509Certificate2 ToDotNet(byte[] der, string where, int index)
    {
        try
        {
#if NET9_0_OR_GREATER
            return X509CertificateLoader.LoadCertificate(der);
#else
            return new X509Certificate2(der);
#endif
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new ProxyConfigurationException($"{where}: certificate {index} cannot be decoded ({e.Message})", e);
        }
    }

    private static X509Certificate2Collection NonEmpty(X509Certificate2Collection certificates, string where) =>
        certificates.Count > 0 ? certificates : throw new ProxyConfigurationException($"{where}: contains no certificate");
}
