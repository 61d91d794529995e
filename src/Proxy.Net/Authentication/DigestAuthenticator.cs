using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace ProxyNet.Authentication;

/// <summary>
/// Digest access authentication (RFC 7616): MD5 and SHA-256, their <c>-sess</c> variants, <c>qop=auth</c> (or none,
/// RFC 2069 style) and <c>userhash</c>. The password never leaves the process; only hashes do.
/// </summary>
internal sealed class DigestAuthenticator(NetworkCredential credentials, Func<string>? cnonceSource = null) : ISchemeAuthenticator
{
    private readonly Func<string> _cnonce = cnonceSource ?? NewClientNonce;
    private string? _nonce;
    private int _count;

    public string Scheme => "Digest";

    public bool IsConnectionBased => false;

    /// <summary>True when the algorithm of the challenge is one this class computes.</summary>
    public static bool Supports(AuthChallenge challenge) => Hasher(challenge["algorithm"]) is not null;

    /// <summary>Strongest first: SHA-256 before MD5, so a proxy offering both gets SHA-256.</summary>
    public static int Strength(AuthChallenge challenge) =>
        (challenge["algorithm"] ?? "MD5").StartsWith("SHA-256", StringComparison.OrdinalIgnoreCase) ? 2 : 1;

    public AuthStep Respond(AuthChallenge challenge, string method, string uri)
    {
        string? realm = challenge["realm"];
        string? nonce = challenge["nonce"];
        string algorithm = challenge["algorithm"] ?? "MD5";
        var hash = Hasher(algorithm);
        if (realm is null || nonce is null || hash is null)
        {
            return AuthStep.Fail($"its Digest challenge is unusable ({(hash is null ? $"algorithm {algorithm} is not supported; MD5 and SHA-256 are" : "no realm or nonce")})");
        }

        _count = nonce == _nonce ? _count + 1 : 1;
        _nonce = nonce;
        string? qop = ChooseQop(challenge["qop"]);
        if (challenge["qop"] is not null && qop is null)
        {
            return AuthStep.Fail($"its Digest challenge asks for qop={challenge["qop"]}; only qop=auth is supported");
        }

        string cnonce = _cnonce();
        string nc = _count.ToString("x8", CultureInfo.InvariantCulture);
        bool userhash = string.Equals(challenge["userhash"], "true", StringComparison.OrdinalIgnoreCase);
        string user = credentials.UserName;
        string response = Compute(hash, algorithm, user, credentials.Password, realm, nonce, cnonce, nc, qop, method, uri);

        var header = new StringBuilder("Digest ");
        header.Append(CultureInfo.InvariantCulture, $"username=\"{Quote(userhash ? hash($"{user}:{realm}") : user)}\", realm=\"{Quote(realm)}\", nonce=\"{Quote(nonce)}\", uri=\"{Quote(uri)}\"");
        header.Append(CultureInfo.InvariantCulture, $", algorithm={algorithm}, response=\"{response}\"");
        if (qop is not null)
        {
            header.Append(CultureInfo.InvariantCulture, $", qop={qop}, nc={nc}, cnonce=\"{cnonce}\"");
        }

        if (challenge["opaque"] is { } opaque)
        {
            header.Append(CultureInfo.InvariantCulture, $", opaque=\"{Quote(opaque)}\"");
        }

        if (userhash)
        {
            header.Append(", userhash=true");
        }

        return AuthStep.Send(header.ToString());
    }

    public void Dispose()
    {
    }

    /// <summary>The <c>response</c> value of RFC 7616 §3.4.1.</summary>
    internal static string Compute(Func<string, string> hash, string algorithm, string user, string password, string realm, string nonce, string cnonce, string nc, string? qop, string method, string uri)
    {
        string a1 = hash($"{user}:{realm}:{password}");
        if (algorithm.EndsWith("-sess", StringComparison.OrdinalIgnoreCase))
        {
            a1 = hash($"{a1}:{nonce}:{cnonce}");
        }

        string a2 = hash($"{method}:{uri}");
        return qop is null ? hash($"{a1}:{nonce}:{a2}") : hash($"{a1}:{nonce}:{nc}:{cnonce}:{qop}:{a2}");
    }

    internal static Func<string, string>? Hasher(string? algorithm) => (algorithm ?? "MD5").ToUpperInvariant() switch
    {
#pragma warning disable CA5351 // MD5 is what RFC 7616 Digest (and squid's digest_file_auth) computes; it is not used for secrecy here.
        "MD5" or "MD5-SESS" => static text => Hex.Lower(MD5.HashData(Encoding.UTF8.GetBytes(text))),
#pragma warning restore CA5351
        "SHA-256" or "SHA-256-SESS" => static text => Hex.Lower(SHA256.HashData(Encoding.UTF8.GetBytes(text))),
        _ => null,
    };

    private static string? ChooseQop(string? offered)
    {
        if (offered is null)
        {
            return null;
        }

        return offered.Split(',', StringSplitOptions.TrimEntries).Contains("auth", StringComparer.OrdinalIgnoreCase) ? "auth" : null;
    }

    private static string Quote(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static string NewClientNonce() => Hex.Lower(RandomNumberGenerator.GetBytes(16));
}
