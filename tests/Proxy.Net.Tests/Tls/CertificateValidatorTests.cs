using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ProxyNet.Tls;

namespace ProxyNet.Tests.Tls;

/// <summary>When a certificate is accepted, and every refusal as the whole sentence: which certificate, what is wrong, what to configure.</summary>
public sealed class CertificateValidatorTests : IDisposable
{
    private const string Host = "server.test";
    private const string OriginSetting = "Tls:OriginCaCertificates (proxynet --ca-file)";
    private const string ProxySetting = "Tls:ProxyCaCertificates (proxynet --proxy-ca-file)";
    private const SslPolicyErrors ChainErrors = SslPolicyErrors.RemoteCertificateChainErrors;

    private readonly X509Certificate2 _ca = TestPki.Ca("CN=Validator Root CA");
    private readonly X509Certificate2 _otherCa = TestPki.Ca("CN=Validator Other CA");
    private readonly X509Certificate2 _leaf;

    public CertificateValidatorTests()
    {
        _leaf = TestPki.Leaf(_ca, Host);
    }

    public void Dispose()
    {
        _leaf.Dispose();
        _ca.Dispose();
        _otherCa.Dispose();
    }

    [Fact]
    public void Accept_any_accepts_anything_even_no_certificate()
    {
        var validator = new CertificateValidator(null, replaceSystemTrust: true, acceptAny: true, "origin");
        const SslPolicyErrors all = SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch | ChainErrors;
        Assert.True(validator.Validate(Host, null, null, all, out string? failure));
        Assert.Null(failure);
        Assert.True(validator.Validate(Host, _leaf, null, all, out failure));
        Assert.Null(failure);
    }

    [Fact]
    public void What_the_system_store_accepts_is_accepted_unless_system_trust_is_replaced()
    {
        using var stranger = TestPki.SelfSignedServer("stranger.test");
        Assert.True(new CertificateValidator(null, false, false, "origin").Validate(Host, stranger, null, SslPolicyErrors.None, out string? failure));
        Assert.Null(failure);
        Assert.True(new CertificateValidator([_ca], false, false, "origin").Validate(Host, stranger, null, SslPolicyErrors.None, out failure));
        Assert.Null(failure);

        // Replaced: the system's word does not count, only the extra roots.
        var replaced = new CertificateValidator([_ca], true, false, "origin");
        Assert.True(replaced.Validate(Host, _leaf, null, SslPolicyErrors.None, out failure));
        Assert.Null(failure);
        Assert.False(replaced.Validate("stranger.test", stranger, null, SslPolicyErrors.None, out failure));
        Assert.Equal($"the origin's certificate (CN=stranger.test) for stranger.test is issued by 'CN=stranger.test', a CA that is not trusted: add that CA to {OriginSetting}", failure);
    }

    [Fact]
    public void A_certificate_chaining_to_an_extra_root_is_accepted_despite_the_system_store()
    {
        Assert.True(new CertificateValidator([_otherCa, _ca], false, false, "origin").Validate(Host, _leaf, null, ChainErrors, out string? failure));
        Assert.Null(failure);
        Assert.True(new CertificateValidator([_ca], true, false, "proxy").Validate(Host, _leaf, null, ChainErrors, out failure));
        Assert.Null(failure);
        using var presented = TestPki.SystemChain(_leaf);
        Assert.True(new CertificateValidator([_ca], false, false, "origin").Validate(Host, _leaf, presented, ChainErrors, out failure));
        Assert.Null(failure);
    }

    [Theory]
    [InlineData("origin", "server.test")]
    [InlineData("proxy", "proxy.corp")]
    public void No_certificate(string who, string host)
    {
        var validator = new CertificateValidator([_ca], false, false, who);
        Assert.False(validator.Validate(host, null, null, ChainErrors, out string? failure));
        Assert.Equal($"the {who} {host} sent no certificate", failure);
        Assert.False(validator.Validate(host, null, null, SslPolicyErrors.RemoteCertificateNotAvailable, out failure));
        Assert.Equal($"the {who} {host} sent no certificate", failure);

        // The TLS stack's word counts even when a certificate object is passed along.
        Assert.False(validator.Validate(host, _leaf, null, SslPolicyErrors.RemoteCertificateNotAvailable, out failure));
        Assert.Equal($"the {who} {host} sent no certificate", failure);
    }

    [Theory]
    [InlineData(SslPolicyErrors.RemoteCertificateNameMismatch)]
    [InlineData(SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors)]
    public void A_name_mismatch_names_what_the_certificate_is_for(SslPolicyErrors errors)
    {
        // The certificate chains to the extra root: the wrong name is still refused.
        var validator = new CertificateValidator([_ca], false, false, "origin");
        Assert.False(validator.Validate("other.test", _leaf, null, errors, out string? failure));
        Assert.Equal("the origin's certificate (CN=server.test) is for 'server.test', not 'other.test' (wrong host name)", failure);
        Assert.False(new CertificateValidator(null, true, false, "proxy").Validate("proxy.corp", _leaf, null, errors, out failure));
        Assert.Equal("the proxy's certificate (CN=server.test) is for 'server.test', not 'proxy.corp' (wrong host name)", failure);
    }

    [Fact]
    public void An_expired_certificate_says_when_it_expired()
    {
        using var expired = TestPki.Leaf(_ca, Host, new DateTimeOffset(2019, 6, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero));
        const string expected = "the origin's certificate (CN=server.test) for server.test expired on 2020-01-02 03:04 UTC";

        // Found by the extra roots' chain...
        Assert.False(new CertificateValidator([_ca], true, false, "origin").Validate(Host, expired, null, ChainErrors, out string? failure));
        Assert.Equal(expected, failure);

        // ... or reported by the chain the TLS stack built.
        using var presented = TestPki.SystemChain(expired);
        Assert.False(new CertificateValidator(null, false, false, "origin").Validate(Host, expired, presented, ChainErrors, out failure));
        Assert.Equal(expected, failure);
    }

    [Fact]
    public void A_certificate_not_valid_yet_says_from_when()
    {
        using var early = TestPki.Leaf(_ca, Host, new DateTimeOffset(2035, 6, 7, 8, 9, 10, TimeSpan.Zero), new DateTimeOffset(2036, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.False(new CertificateValidator([_ca], true, false, "proxy").Validate(Host, early, null, ChainErrors, out string? failure));
        Assert.Equal("the proxy's certificate (CN=server.test) for server.test is not valid before 2035-06-07 08:09 UTC", failure);
    }

    [Fact]
    public void A_certificate_not_for_server_authentication()
    {
        using var signing = TestPki.Leaf(_ca, Host, null, null, TestPki.CodeSigning);
        Assert.False(new CertificateValidator([_ca], false, false, "origin").Validate(Host, signing, null, ChainErrors, out string? failure));
        Assert.Equal("the origin's certificate (CN=server.test) for server.test is not for server authentication (its extended key usage leaves out serverAuth)", failure);
    }

    [Theory]
    [InlineData("origin", OriginSetting)]
    [InlineData("proxy", ProxySetting)]
    public void An_unknown_CA_names_it_and_the_setting_to_add_it_to(string who, string setting)
    {
        string expected = $"the {who}'s certificate (CN=server.test) for server.test is issued by 'CN=Validator Root CA', a CA that is not trusted: add that CA to {setting}";

        // Other extra roots: the chain ends at an unknown CA.
        Assert.False(new CertificateValidator([_otherCa], false, false, who).Validate(Host, _leaf, null, ChainErrors, out string? failure));
        Assert.Equal(expected, failure);

        // System trust replaced, nothing else known: whatever the chain says.
        Assert.False(new CertificateValidator(null, true, false, who).Validate(Host, _leaf, null, ChainErrors, out failure));
        Assert.Equal(expected, failure);

        // The system's chain stops short of the CA (a partial chain, not an untrusted root).
        using var partial = TestPki.SystemChain(_leaf);
        var flags = Flags(partial);
        Assert.True(flags.HasFlag(X509ChainStatusFlags.PartialChain) && !flags.HasFlag(X509ChainStatusFlags.UntrustedRoot), flags.ToString());
        Assert.False(new CertificateValidator(null, false, false, who).Validate(Host, _leaf, partial, ChainErrors, out failure));
        Assert.Equal(expected, failure);

        // The same flag from the extra roots' chain and the system's chain stays set (the flags add up).
        Assert.False(new CertificateValidator([_otherCa], false, false, who).Validate(Host, _leaf, partial, ChainErrors, out failure));
        Assert.Equal(expected, failure);
    }

    [Fact]
    public void A_self_signed_certificate_is_an_untrusted_root()
    {
        using var self = TestPki.SelfSignedServer("self.test");
        using var chain = TestPki.SystemChain(self);
        var flags = Flags(chain);
        Assert.True(flags.HasFlag(X509ChainStatusFlags.UntrustedRoot) && !flags.HasFlag(X509ChainStatusFlags.PartialChain), flags.ToString());
        Assert.False(new CertificateValidator(null, false, false, "origin").Validate("self.test", self, chain, ChainErrors, out string? failure));
        Assert.Equal($"the origin's certificate (CN=self.test) for self.test is issued by 'CN=self.test', a CA that is not trusted: add that CA to {OriginSetting}", failure);
    }

    [Theory]
    [InlineData("origin", OriginSetting)]
    [InlineData("proxy", ProxySetting)]
    public void Any_other_chain_error_is_quoted(string who, string setting)
    {
        // No chain to look at and no extra roots: the TLS stack's error alone.
        Assert.False(new CertificateValidator(null, false, false, who).Validate(Host, _leaf, null, ChainErrors, out string? failure));
        Assert.Equal($"the {who}'s certificate (CN=server.test) for server.test is not trusted (NoError): check it, or add its CA to {setting}", failure);
        Assert.False(new CertificateValidator([], false, false, who).Validate(Host, _leaf, null, ChainErrors, out failure));
        Assert.Equal($"the {who}'s certificate (CN=server.test) for server.test is not trusted (NoError): check it, or add its CA to {setting}", failure);

        // A chain to a trusted root whose revocation status is unknown (the leaf names no CRL).
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.Offline;
        chain.ChainPolicy.RevocationFlag = X509RevocationFlag.EndCertificateOnly;
        chain.Build(_leaf);
        var flags = Flags(chain);
        Assert.True(flags.HasFlag(X509ChainStatusFlags.RevocationStatusUnknown), flags.ToString());
        Assert.False(new CertificateValidator(null, false, false, who).Validate(Host, _leaf, chain, ChainErrors, out failure));
        Assert.Equal($"the {who}'s certificate (CN=server.test) for server.test is not trusted ({flags}): check it, or add its CA to {setting}", failure);
    }

    [Fact]
    public void A_plain_X509Certificate_is_described_too()
    {
        using var plain = new X509Certificate(_leaf);
        Assert.False(new CertificateValidator([_otherCa], false, false, "origin").Validate(Host, plain, null, ChainErrors, out string? failure));
        Assert.Equal($"the origin's certificate (CN=server.test) for server.test is issued by 'CN=Validator Root CA', a CA that is not trusted: add that CA to {OriginSetting}", failure);
        Assert.True(new CertificateValidator([_ca], false, false, "origin").Validate(Host, plain, null, ChainErrors, out failure));
    }

    private static X509ChainStatusFlags Flags(X509Chain chain) =>
        chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
}
