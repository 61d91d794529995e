using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using ProxyNet.Tls;

namespace ProxyNet.Tests.Tls;

/// <summary>The public face of the checks (for <c>proxynet doctor</c>): origin and proxy trust loaded once, kept apart.</summary>
public sealed class ProxyCertificateTrustTests : IDisposable
{
    private const SslPolicyErrors ChainErrors = SslPolicyErrors.RemoteCertificateChainErrors;

    private readonly OriginAndProxyPki _pki = new("Trust");

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void Load_needs_options()
    {
        var error = Assert.Throws<ArgumentNullException>(() => ProxyCertificateTrust.Load(null!));
        Assert.Equal("options", error.ParamName);
    }

    [Fact]
    public void A_broken_source_fails_the_load()
    {
        var error = Assert.Throws<ProxyConfigurationException>(() => ProxyCertificateTrust.Load(new ProxyTlsOptions { ReplaceSystemTrust = true }));
        Assert.Equal("Tls:ReplaceSystemTrust is set but no origin CA certificate is configured: every origin would be refused", error.Message);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void The_dangerous_flags_are_reported_and_each_opens_its_own_side_only(bool anyOrigin, bool anyProxy)
    {
        var trust = ProxyCertificateTrust.Load(new ProxyTlsOptions { DangerousAcceptAnyServerCertificate = anyOrigin, DangerousAcceptAnyProxyCertificate = anyProxy });
        Assert.Equal(anyOrigin, trust.AcceptsAnyOriginCertificate);
        Assert.Equal(anyProxy, trust.AcceptsAnyProxyCertificate);
        Assert.Equal(anyOrigin, trust.ValidateOrigin("server.test", null, null, SslPolicyErrors.RemoteCertificateNotAvailable, out string? failure));
        Assert.Equal(anyOrigin ? null : "the origin server.test sent no certificate", failure);
        Assert.Equal(anyProxy, trust.ValidateProxy("proxy.corp", null, null, SslPolicyErrors.RemoteCertificateNotAvailable, out failure));
        Assert.Equal(anyProxy ? null : "the proxy proxy.corp sent no certificate", failure);
    }

    [Fact]
    public void Origin_CAs_validate_origins_and_proxy_CAs_proxies_never_the_other_way()
    {
        var trust = ProxyCertificateTrust.Load(new ProxyTlsOptions
        {
            OriginCaCertificates = [_pki.OriginCa.ExportCertificatePem()],
            ProxyCaCertificates = [_pki.ProxyCa.ExportCertificatePem()],
        });
        Assert.False(trust.AcceptsAnyOriginCertificate);
        Assert.False(trust.AcceptsAnyProxyCertificate);

        Assert.True(trust.ValidateOrigin("server.test", _pki.Origin, null, ChainErrors, out string? failure));
        Assert.Null(failure);
        Assert.True(trust.ValidateProxy("proxy.corp", _pki.Proxy, null, ChainErrors, out failure));
        Assert.Null(failure);

        Assert.False(trust.ValidateOrigin("proxy.corp", _pki.Proxy, null, ChainErrors, out failure));
        Assert.Equal("the origin's certificate (CN=proxy.corp) for proxy.corp is issued by 'CN=Trust Proxy CA', a CA that is not trusted: add that CA to Tls:OriginCaCertificates (proxynet --ca-file)", failure);
        Assert.False(trust.ValidateProxy("server.test", _pki.Origin, null, ChainErrors, out failure));
        Assert.Equal("the proxy's certificate (CN=server.test) for server.test is issued by 'CN=Trust Origin CA', a CA that is not trusted: add that CA to Tls:ProxyCaCertificates (proxynet --proxy-ca-file)", failure);
    }

    [Fact]
    public void Replaced_system_trust_applies_to_origins_only()
    {
        var trust = ProxyCertificateTrust.Load(new ProxyTlsOptions { OriginCaCertificates = [_pki.OriginCa.ExportCertificatePem()], ReplaceSystemTrust = true });
        Assert.True(trust.ValidateOrigin("server.test", _pki.Origin, null, SslPolicyErrors.None, out string? failure));
        Assert.Null(failure);
        Assert.False(trust.ValidateOrigin("proxy.corp", _pki.Proxy, null, SslPolicyErrors.None, out failure));
        Assert.Equal("the origin's certificate (CN=proxy.corp) for proxy.corp is issued by 'CN=Trust Proxy CA', a CA that is not trusted: add that CA to Tls:OriginCaCertificates (proxynet --ca-file)", failure);
        Assert.True(trust.ValidateProxy("proxy.corp", _pki.Proxy, null, SslPolicyErrors.None, out failure));
        Assert.Null(failure);
    }

    [Fact]
    public void The_trust_exception_keeps_its_message_and_cause()
    {
        var inner = new InvalidOperationException("cause");
        var withInner = new CertificateTrustException("the words", inner);
        Assert.Equal("the words", withInner.Message);
        Assert.Same(inner, withInner.InnerException);
        Assert.IsAssignableFrom<AuthenticationException>(withInner);

        var plain = new CertificateTrustException("just words");
        Assert.Equal("just words", plain.Message);
        Assert.Null(plain.InnerException);

        var empty = new CertificateTrustException();
        Assert.Null(empty.InnerException);
        Assert.Equal(new AuthenticationException().Message, empty.Message);
    }

    [Fact]
    public void Options_start_empty_and_safe()
    {
        var options = new ProxyTlsOptions();
        Assert.Empty(options.OriginCaCertificates);
        Assert.Empty(options.ProxyCaCertificates);
        Assert.False(options.ReplaceSystemTrust);
        Assert.False(options.UseEnvironmentCaBundles);
        Assert.Null(options.ProxyClientCertificates);
        Assert.False(options.DangerousAcceptAnyServerCertificate);
        Assert.False(options.DangerousAcceptAnyProxyCertificate);

        // The lists are the caller's to fill, and each options object has its own.
        options.OriginCaCertificates.Add("/etc/ssl/a.pem");
        options.ProxyCaCertificates.Add("/etc/ssl/b.pem");
        Assert.Equal(["/etc/ssl/a.pem"], options.OriginCaCertificates);
        Assert.Equal(["/etc/ssl/b.pem"], options.ProxyCaCertificates);
        Assert.Empty(new ProxyTlsOptions().OriginCaCertificates);
    }
}
