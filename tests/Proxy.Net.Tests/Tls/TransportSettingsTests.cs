using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using ProxyNet.Resolution;
using ProxyNet.Tls;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.Tests.Tls;

/// <summary>What TransportSettings makes of the options: the roots (and the environment's bundles, only when asked), the pool key, the callbacks.</summary>
public sealed class TransportSettingsTests : IDisposable
{
    private const SslPolicyErrors ChainErrors = SslPolicyErrors.RemoteCertificateChainErrors;

    private readonly TempFolder _temp = new("proxynet-transport-");
    private readonly OriginAndProxyPki _pki = new("Transport");

    public void Dispose()
    {
        _temp.Dispose();
        _pki.Dispose();
    }

    [Fact]
    public void No_options_are_the_default_settings()
    {
        Assert.Same(TransportSettings.Default, TransportSettings.From(null, _ => throw new InvalidOperationException("no environment is read")));
        Assert.Equal("|False|||False|False", TransportSettings.Default.Fingerprint);
        Assert.False(TransportSettings.Default.IsDangerous);
    }

    [Fact]
    public void Options_without_certificates_have_no_roots_and_read_no_environment()
    {
        var read = new List<string>();
        var settings = TransportSettings.From(new ProxyTlsOptions(), name =>
        {
            read.Add(name);
            return _temp.Write("env.pem", _pki.OriginCa.ExportCertificatePem());
        });
        Assert.Empty(read);
        Assert.Null(settings.OriginRoots);
        Assert.Null(settings.ProxyRoots);
        Assert.Null(settings.ProxyClientCertificates);
        Assert.False(settings.ReplaceSystemTrust);
        Assert.False(settings.DangerousAcceptAnyOriginCertificate);
        Assert.False(settings.DangerousAcceptAnyProxyCertificate);
        Assert.Equal(TransportSettings.Default.Fingerprint, settings.Fingerprint);
    }

    [Fact]
    public void Every_option_is_carried_over()
    {
        using var client = TestPki.SelfSignedServer("client.test");
        var clients = new X509Certificate2Collection(client);
        var options = new ProxyTlsOptions
        {
            OriginCaCertificates = [_pki.OriginCa.ExportCertificatePem()],
            ReplaceSystemTrust = true,
            ProxyCaCertificates = [_pki.ProxyCa.ExportCertificatePem()],
            ProxyClientCertificates = clients,
            DangerousAcceptAnyServerCertificate = true,
            DangerousAcceptAnyProxyCertificate = true,
        };
        var settings = TransportSettings.From(options, _ => null);
        Assert.Equal([_pki.OriginCa.Thumbprint], Thumbprints(settings.OriginRoots));
        Assert.True(settings.ReplaceSystemTrust);
        Assert.Equal([_pki.ProxyCa.Thumbprint], Thumbprints(settings.ProxyRoots));
        Assert.Same(clients, settings.ProxyClientCertificates);
        Assert.True(settings.DangerousAcceptAnyOriginCertificate);
        Assert.True(settings.DangerousAcceptAnyProxyCertificate);
        Assert.Equal($"{_pki.OriginCa.Thumbprint}|True|{_pki.ProxyCa.Thumbprint}|{client.Thumbprint}|True|True", settings.Fingerprint);
    }

    [Fact]
    public void A_broken_proxy_CA_names_the_proxy_setting()
    {
        string missing = _temp.PathOf("proxy-ca.pem");
        var error = Assert.Throws<ProxyConfigurationException>(() => TransportSettings.From(new ProxyTlsOptions { ProxyCaCertificates = [missing] }, _ => null));
        Assert.Equal($"Tls:ProxyCaCertificates: '{missing}' is neither a file, a directory nor inline PEM", error.Message);
        error = Assert.Throws<ProxyConfigurationException>(() => TransportSettings.From(new ProxyTlsOptions { OriginCaCertificates = [missing] }, _ => null));
        Assert.Equal($"Tls:OriginCaCertificates: '{missing}' is neither a file, a directory nor inline PEM", error.Message);
    }

    [Theory]
    [InlineData("SSL_CERT_FILE")]
    [InlineData("REQUESTS_CA_BUNDLE")]
    [InlineData("NODE_EXTRA_CA_CERTS")]
    [InlineData("SSL_CERT_DIR")]
    public void Each_environment_bundle_adds_to_origin_trust_when_asked(string variable)
    {
        string value = variable == "SSL_CERT_DIR" ? Directory.CreateDirectory(_temp.PathOf("dir")).FullName : _temp.PathOf("bundle.pem");
        File.WriteAllText(variable == "SSL_CERT_DIR" ? Path.Combine(value, "ca.pem") : value, _pki.OriginCa.ExportCertificatePem());
        var env = new Dictionary<string, string> { [variable] = value };

        var settings = TransportSettings.From(new ProxyTlsOptions { UseEnvironmentCaBundles = true }, env.GetValueOrDefault);
        Assert.Equal([_pki.OriginCa.Thumbprint], Thumbprints(settings.OriginRoots));
        Assert.Null(settings.ProxyRoots);
        Assert.Null(TransportSettings.From(new ProxyTlsOptions(), env.GetValueOrDefault).OriginRoots);

        // A broken bundle names its variable.
        env[variable] = _temp.PathOf("missing");
        var error = Assert.Throws<ProxyConfigurationException>(() => TransportSettings.From(new ProxyTlsOptions { UseEnvironmentCaBundles = true }, env.GetValueOrDefault));
        Assert.Equal($"{variable}: '{env[variable]}' is neither a file, a directory nor inline PEM", error.Message);
    }

    [Fact]
    public void The_environment_bundles_add_up_after_the_configured_CAs_and_empty_ones_are_skipped()
    {
        using var a = TestPki.Ca("CN=Env A");
        using var b = TestPki.Ca("CN=Env B");
        using var c = TestPki.Ca("CN=Env C");
        using var d = TestPki.Ca("CN=Env D");
        string dir1 = Directory.CreateDirectory(_temp.PathOf("one")).FullName;
        string dir2 = Directory.CreateDirectory(_temp.PathOf("two")).FullName;
        File.WriteAllText(Path.Combine(dir1, "d.pem"), d.ExportCertificatePem());
        File.WriteAllText(Path.Combine(dir2, "a.pem"), a.ExportCertificatePem());
        var env = new Dictionary<string, string>
        {
            ["SSL_CERT_FILE"] = _temp.Write("c.pem", c.ExportCertificatePem()),
            ["REQUESTS_CA_BUNDLE"] = string.Empty,
            ["NODE_EXTRA_CA_CERTS"] = _temp.Write("b.pem", b.ExportCertificatePem()),
            ["SSL_CERT_DIR"] = $":{dir1}::{dir2}:",
        };
        var read = new List<string>();
        var settings = TransportSettings.From(
            new ProxyTlsOptions { OriginCaCertificates = [_pki.OriginCa.ExportCertificatePem()], UseEnvironmentCaBundles = true, ReplaceSystemTrust = true },
            name =>
            {
                read.Add(name);
                return env.GetValueOrDefault(name);
            });
        Assert.Equal(["SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS", "SSL_CERT_DIR"], read);
        Assert.Equal([_pki.OriginCa.Thumbprint, c.Thumbprint, b.Thumbprint, d.Thumbprint, a.Thumbprint], Thumbprints(settings.OriginRoots));

        // Unset or empty variables: nothing added.
        Assert.Null(TransportSettings.From(new ProxyTlsOptions { UseEnvironmentCaBundles = true }, _ => null).OriginRoots);
        Assert.Null(TransportSettings.From(new ProxyTlsOptions { UseEnvironmentCaBundles = true }, _ => string.Empty).OriginRoots);
        Assert.Null(TransportSettings.From(new ProxyTlsOptions { UseEnvironmentCaBundles = true }, name => name == "SSL_CERT_DIR" ? ":::" : null).OriginRoots);
    }

    [Fact]
    public void Replacing_system_trust_needs_an_origin_CA()
    {
        string message = "Tls:ReplaceSystemTrust is set but no origin CA certificate is configured: every origin would be refused";
        var error = Assert.Throws<ProxyConfigurationException>(() => TransportSettings.From(new ProxyTlsOptions { ReplaceSystemTrust = true }, _ => null));
        Assert.Equal(message, error.Message);

        // Proxy CAs and environment bundles that are not read do not count.
        var options = new ProxyTlsOptions { ReplaceSystemTrust = true, ProxyCaCertificates = [_pki.ProxyCa.ExportCertificatePem()] };
        error = Assert.Throws<ProxyConfigurationException>(() => TransportSettings.From(options, _ => _temp.Write("env.pem", _pki.OriginCa.ExportCertificatePem())));
        Assert.Equal(message, error.Message);

        // An environment bundle that is read does.
        options.UseEnvironmentCaBundles = true;
        var settings = TransportSettings.From(options, name => name == "SSL_CERT_FILE" ? _temp.Write("env.pem", _pki.OriginCa.ExportCertificatePem()) : null);
        Assert.True(settings.ReplaceSystemTrust);
        Assert.Equal([_pki.OriginCa.Thumbprint], Thumbprints(settings.OriginRoots));
    }

    [Fact]
    public void Equal_settings_have_equal_fingerprints_and_each_field_changes_it()
    {
        using var client = TestPki.SelfSignedServer("client.test");
        var baseline = Settings();
        Assert.Equal(Settings().Fingerprint, baseline.Fingerprint);
        Assert.Equal(Settings().FingerprintHash, baseline.FingerprintHash);
        Assert.Equal(StringComparer.Ordinal.GetHashCode(baseline.Fingerprint), baseline.FingerprintHash);
        Assert.Equal(baseline.FingerprintHash, baseline.FingerprintHash);
        Assert.Equal($"{_pki.OriginCa.Thumbprint}|False|{_pki.ProxyCa.Thumbprint}||False|False", baseline.Fingerprint);

        TransportSettings[] variants =
        [
            Settings(originRoots: [_pki.OriginCa, _pki.ProxyCa]),
            Settings(replace: true),
            Settings(proxyRoots: [_pki.OriginCa]),
            Settings(clients: [client]),
            Settings(anyOrigin: true),
            Settings(anyProxy: true),
            Settings(originRoots: [_pki.ProxyCa]),
            Settings(proxyRoots: []),
        ];
        foreach (var variant in variants)
        {
            Assert.NotEqual(baseline.Fingerprint, variant.Fingerprint);
            Assert.Equal(StringComparer.Ordinal.GetHashCode(variant.Fingerprint), variant.FingerprintHash);
        }

        Assert.Equal(variants.Length, variants.Select(v => v.Fingerprint).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Dangerous_is_either_flag()
    {
        Assert.False(Settings().IsDangerous);
        Assert.True(Settings(anyOrigin: true).IsDangerous);
        Assert.True(Settings(anyProxy: true).IsDangerous);
        Assert.True(Settings(anyOrigin: true, anyProxy: true).IsDangerous);
    }

    [Fact]
    public void The_origin_callback_accepts_a_good_certificate_and_throws_the_failure_in_words()
    {
        var callback = new TransportSettings().OriginValidation();
        Assert.True(callback(null!, _pki.Origin, null, SslPolicyErrors.None));

        using var chain = TestPki.SystemChain(_pki.Origin);
        var error = Assert.Throws<CertificateTrustException>(() => callback(new object(), _pki.Origin, chain, ChainErrors));
        Assert.Equal("the origin's certificate (CN=server.test) for (unknown host) is issued by 'CN=Transport Origin CA', a CA that is not trusted: add that CA to Tls:OriginCaCertificates (proxynet --ca-file)", error.Message);

        // An SslStream that has no target host yet is no host either (not "the origin the origin sent no certificate").
        using var stream = new SslStream(new MemoryStream());
        error = Assert.Throws<CertificateTrustException>(() => callback(stream, null, null, SslPolicyErrors.RemoteCertificateNotAvailable));
        Assert.Equal("the origin (unknown host) sent no certificate", error.Message);
        error = Assert.Throws<CertificateTrustException>(() => callback(stream, _pki.Origin, null, SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.Equal("the origin's certificate (CN=server.test) is for 'server.test', not '(unknown host)' (wrong host name)", error.Message);
    }

    [Fact]
    public void The_origin_callback_uses_the_origin_roots_and_replaced_trust()
    {
        var callback = Settings(replace: true).OriginValidation();
        Assert.True(callback(null!, _pki.Origin, null, ChainErrors));
        Assert.True(callback(null!, _pki.Origin, null, SslPolicyErrors.None));
        var error = Assert.Throws<CertificateTrustException>(() => callback(null!, _pki.Proxy, null, SslPolicyErrors.None));
        Assert.Equal("the origin's certificate (CN=proxy.corp) for (unknown host) is issued by 'CN=Transport Proxy CA', a CA that is not trusted: add that CA to Tls:OriginCaCertificates (proxynet --ca-file)", error.Message);

        Assert.True(Settings(replace: true, anyOrigin: true).OriginValidation()(null!, _pki.Proxy, null, ChainErrors));
        Assert.Throws<CertificateTrustException>(() => Settings(replace: true, anyProxy: true).OriginValidation()(null!, _pki.Proxy, null, ChainErrors));
    }

    [Fact]
    public async Task In_a_handshake_the_failure_names_the_target_host()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var accepted = await listener.AcceptTcpClientAsync();
        await using var server = new SslStream(accepted.GetStream());
        await using var tls = new SslStream(client.GetStream(), false, new TransportSettings().OriginValidation());

        var serving = server.AuthenticateAsServerAsync(_pki.Origin);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => tls.AuthenticateAsClientAsync("server.test"));
        client.Close();
        _ = await Record.ExceptionAsync(() => serving); // TLS 1.3: the server may have finished before the client refused

        var trust = FindTrustException(error);
        Assert.True(trust is not null, error.ToString());
        Assert.Equal("the origin's certificate (CN=server.test) for server.test is issued by 'CN=Transport Origin CA', a CA that is not trusted: add that CA to Tls:OriginCaCertificates (proxynet --ca-file)", trust.Message);
    }

    [Fact]
    public void The_proxy_validator_uses_the_proxy_roots_only()
    {
        var validator = Settings(replace: true).ProxyValidator();
        Assert.True(validator.Validate("proxy.corp", _pki.Proxy, null, ChainErrors, out string? failure));
        Assert.Null(failure);
        Assert.False(validator.Validate("server.test", _pki.Origin, null, ChainErrors, out failure));
        Assert.Equal("the proxy's certificate (CN=server.test) for server.test is issued by 'CN=Transport Origin CA', a CA that is not trusted: add that CA to Tls:ProxyCaCertificates (proxynet --proxy-ca-file)", failure);

        // The system store's word counts for proxies even when origins replace it.
        Assert.True(validator.Validate("server.test", _pki.Origin, null, SslPolicyErrors.None, out failure));
        Assert.Null(failure);

        // No proxy roots: the origin roots are no fallback.
        Assert.False(new TransportSettings { OriginRoots = [_pki.ProxyCa] }.ProxyValidator().Validate("proxy.corp", _pki.Proxy, null, ChainErrors, out failure));
        Assert.Equal("the proxy's certificate (CN=proxy.corp) for proxy.corp is not trusted (NoError): check it, or add its CA to Tls:ProxyCaCertificates (proxynet --proxy-ca-file)", failure);

        Assert.True(Settings(anyProxy: true).ProxyValidator().Validate("server.test", null, null, SslPolicyErrors.RemoteCertificateNotAvailable, out failure));
        Assert.False(Settings(anyOrigin: true).ProxyValidator().Validate("server.test", null, null, SslPolicyErrors.RemoteCertificateNotAvailable, out failure));
        Assert.Equal("the proxy server.test sent no certificate", failure);
    }

    [Fact]
    public void ChainsTo_needs_a_certificate_and_no_name_error()
    {
        X509Certificate2Collection roots = [_pki.OriginCa];
        Assert.False(TransportSettings.ChainsTo(roots, null, null, ChainErrors, out var status));
        Assert.Equal(X509ChainStatusFlags.NoError, status);

        Assert.True(TransportSettings.ChainsTo(roots, _pki.Origin, null, ChainErrors, out status));
        Assert.Equal(X509ChainStatusFlags.NoError, status);
        Assert.True(TransportSettings.ChainsTo(roots, _pki.Origin, null, SslPolicyErrors.None, out status));

        foreach (var errors in (SslPolicyErrors[])[SslPolicyErrors.RemoteCertificateNameMismatch, SslPolicyErrors.RemoteCertificateNameMismatch | ChainErrors, SslPolicyErrors.RemoteCertificateNotAvailable])
        {
            Assert.False(TransportSettings.ChainsTo(roots, _pki.Origin, null, errors, out status));
            Assert.Equal(X509ChainStatusFlags.NoError, status);
        }

        Assert.False(TransportSettings.ChainsTo([_pki.ProxyCa], _pki.Origin, null, ChainErrors, out status));
        Assert.NotEqual(X509ChainStatusFlags.NoError, status);
    }

    [Fact]
    public void ChainsTo_takes_a_plain_X509Certificate()
    {
        using var plain = new X509Certificate(_pki.Origin);
        Assert.True(TransportSettings.ChainsTo([_pki.OriginCa], plain, null, ChainErrors, out var status));
        Assert.Equal(X509ChainStatusFlags.NoError, status);
        Assert.False(TransportSettings.ChainsTo([_pki.ProxyCa], plain, null, ChainErrors, out status));
        Assert.NotEqual(X509ChainStatusFlags.NoError, status);
    }

    [Fact]
    public void ChainsTo_takes_intermediates_from_the_presented_chain()
    {
        using var intermediate = TestPki.Intermediate(_pki.OriginCa, "CN=Transport Intermediate CA");
        using var leaf = TestPki.Leaf(intermediate, "deep.test");

        Assert.False(TransportSettings.ChainsTo([_pki.OriginCa], leaf, null, ChainErrors, out var status));
        Assert.True(status.HasFlag(X509ChainStatusFlags.PartialChain), status.ToString());

        // What the server sent (leaf and intermediate), as the TLS stack's chain holds it.
        using var presented = TestPki.SystemChain(leaf, intermediate);
        Assert.True(presented.ChainElements.Count >= 2);
        Assert.True(TransportSettings.ChainsTo([_pki.OriginCa], leaf, presented, ChainErrors, out status));
        Assert.Equal(X509ChainStatusFlags.NoError, status);

        // The presented chain adds intermediates, never trust.
        Assert.False(TransportSettings.ChainsTo([_pki.ProxyCa], leaf, presented, ChainErrors, out status));
        Assert.NotEqual(X509ChainStatusFlags.NoError, status);
    }

    private static CertificateTrustException? FindTrustException(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is CertificateTrustException trust)
            {
                return trust;
            }
        }

        return null;
    }

    private static string[] Thumbprints(X509Certificate2Collection? certificates) => [.. (certificates ?? []).Select(c => c.Thumbprint)];

    private TransportSettings Settings(
        X509Certificate2Collection? originRoots = null,
        bool replace = false,
        X509Certificate2Collection? proxyRoots = null,
        X509Certificate2Collection? clients = null,
        bool anyOrigin = false,
        bool anyProxy = false) => new()
        {
            OriginRoots = originRoots ?? [_pki.OriginCa],
            ReplaceSystemTrust = replace,
            ProxyRoots = proxyRoots ?? [_pki.ProxyCa],
            ProxyClientCertificates = clients,
            DangerousAcceptAnyOriginCertificate = anyOrigin,
            DangerousAcceptAnyProxyCertificate = anyProxy,
        };
}
