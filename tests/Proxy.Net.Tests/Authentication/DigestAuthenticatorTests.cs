using System.Net;
using System.Security.Cryptography;
using System.Text;
using ProxyNet.Authentication;

namespace ProxyNet.Tests.Authentication;

/// <summary>Digest (RFC 7616) against the RFC's own examples, and the header it sends.</summary>
public sealed class DigestAuthenticatorTests
{
    private const string Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private const string Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
    private const string Opaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";

    [Theory]
    [InlineData("MD5", "8ca523f5e9506fed4657c9700eebdbec")]
    [InlineData("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    public void Computes_the_RFC_7616_section_3_9_1_responses(string algorithm, string expected)
    {
        var challenge = Parse($"Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm={algorithm}, nonce=\"{Nonce}\", opaque=\"{Opaque}\"");
        using var digest = new DigestAuthenticator(new NetworkCredential("Mufasa", "Circle of Life"), () => Cnonce);

        string header = digest.Respond(challenge, "GET", "/dir/index.html").Header!;

        Assert.Contains($"response=\"{expected}\"", header, StringComparison.Ordinal);
        Assert.Contains("qop=auth, nc=00000001, cnonce=\"" + Cnonce + "\"", header, StringComparison.Ordinal);
        Assert.Contains($"opaque=\"{Opaque}\"", header, StringComparison.Ordinal);
        Assert.Contains("username=\"Mufasa\"", header, StringComparison.Ordinal);
        Assert.DoesNotContain("Circle of Life", header, StringComparison.Ordinal);
    }

    [Fact]
    public void Sess_variants_hash_the_nonces_into_A1()
    {
        static string H(string s) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(s))).ToLowerInvariant();
        string a1 = H($"{H("Mufasa:r:pw")}:n:c");
        string expected = H($"{a1}:n:00000001:c:auth:{H("CONNECT:example.com:443")}");
        using var digest = new DigestAuthenticator(new NetworkCredential("Mufasa", "pw"), () => "c");

        string header = digest.Respond(Parse("Digest realm=\"r\", nonce=\"n\", qop=\"auth\", algorithm=SHA-256-sess"), "CONNECT", "example.com:443").Header!;

        Assert.Contains($"response=\"{expected}\"", header, StringComparison.Ordinal);
        Assert.Contains("algorithm=SHA-256-sess", header, StringComparison.Ordinal);
    }

    [Fact]
    public void Userhash_sends_the_hashed_user_name()
    {
        string hashed = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("Jäsøn Doe:api@example.org"))).ToLowerInvariant();
        using var digest = new DigestAuthenticator(new NetworkCredential("Jäsøn Doe", "Secret, or not?"), () => "c");

        string header = digest.Respond(Parse("Digest realm=\"api@example.org\", qop=auth, algorithm=SHA-256, nonce=\"n\", userhash=true"), "GET", "/doe.json").Header!;

        Assert.Contains($"username=\"{hashed}\"", header, StringComparison.Ordinal);
        Assert.Contains("userhash=true", header, StringComparison.Ordinal);
        Assert.DoesNotContain("Jäsøn", header, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_qop_it_answers_RFC_2069_style_and_counts_nonce_use()
    {
        using var digest = new DigestAuthenticator(new NetworkCredential("u", "p"), () => "c");
        var challenge = Parse("Digest realm=\"r\", nonce=\"n\", qop=\"auth\"");

        Assert.DoesNotContain("qop=", digest.Respond(Parse("Digest realm=\"r\", nonce=\"m\""), "CONNECT", "h:1").Header!, StringComparison.Ordinal);
        digest.Respond(challenge, "CONNECT", "h:1");
        Assert.Contains("nc=00000002", digest.Respond(challenge, "CONNECT", "h:1").Header!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256", "algorithm SHA-512-256 is not supported")]
    [InlineData("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"", "only qop=auth is supported")]
    [InlineData("Digest realm=\"r\"", "no realm or nonce")]
    public void An_unusable_challenge_is_explained(string challenge, string expected)
    {
        using var digest = new DigestAuthenticator(new NetworkCredential("u", "p"));
        Assert.Contains(expected, digest.Respond(Parse(challenge), "CONNECT", "h:1").Failure, StringComparison.Ordinal);
    }

    private static AuthChallenge Parse(string header) => AuthChallenge.Parse([header]).Single();
}
