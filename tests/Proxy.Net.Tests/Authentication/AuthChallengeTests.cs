using ProxyNet.Authentication;

namespace ProxyNet.Tests.Authentication;

/// <summary>Proxy-Authenticate parsing: several challenges per header, token68 blobs, quoted parameters.</summary>
public sealed class AuthChallengeTests
{
    [Fact]
    public void Splits_several_challenges_in_one_header()
    {
        var challenges = AuthChallenge.Parse(["Negotiate, NTLM, Digest realm=\"a, b\", nonce=\"x\\\"y\", qop=\"auth,auth-int\", Basic realm=\"squid\""]);

        Assert.Equal(["Negotiate", "NTLM", "Digest", "Basic"], challenges.Select(c => c.Scheme));
        Assert.Equal("a, b", challenges[2]["realm"]);
        Assert.Equal("x\"y", challenges[2]["nonce"]);
        Assert.Equal("auth,auth-int", challenges[2]["qop"]);
        Assert.Equal("squid", challenges[3]["REALM"]);
    }

    [Theory]
    [InlineData("Negotiate YIIBhgYGKwYBBQUCoIIBejCCAXag==", "Negotiate", "YIIBhgYGKwYBBQUCoIIBejCCAXag==")]
    [InlineData("NTLM TlRMTVNTUAACAAAADAAMADAAAAA=, Basic realm=x", "NTLM", "TlRMTVNTUAACAAAADAAMADAAAAA=")]
    [InlineData("Negotiate", "Negotiate", null)]
    public void Reads_token68_blobs(string header, string scheme, string? token)
    {
        var first = AuthChallenge.Parse([header])[0];
        Assert.Equal(scheme, first.Scheme);
        Assert.Equal(token, first.Token);
    }

    [Fact]
    public void Reads_squids_token_parameter_with_its_padding()
    {
        // squid 5 + negotiate_kerberos_auth sends an NTLM-in-SPNEGO continuation as "Negotiate token=BLOB".
        var challenge = AuthChallenge.Parse(["Negotiate token=oYGZMIGWoAMKAQGh+/8=="]).Single();
        Assert.Null(challenge.Token);
        Assert.Equal("oYGZMIGWoAMKAQGh+/8==", challenge["token"]);
    }

    [Fact]
    public void Reads_every_header_in_order_and_survives_junk()
    {
        var challenges = AuthChallenge.Parse(["Basic realm=\"x\"", "  ,, ", "Digest realm=r, nonce=n, algorithm=MD5"]);
        Assert.Equal(["Basic", "Digest"], challenges.Select(c => c.Scheme));
        Assert.Equal("MD5", challenges[1]["algorithm"]);
    }
}
