using System.Text.RegularExpressions;
using ProxyNet.Configuration;
using ProxyNet.Resolution;

namespace ProxyNet.Cli;

/// <summary>
/// What proxynet prints, without its secrets and without garbling the rest. A password is masked where it stands:
/// the user-information part of a URL (<c>http://alice:***@proxy:3128</c>) and the value of a secret field
/// (<c>Password=***</c>, <c>token: ***</c>, a <c>Proxy-Authorization</c> or <c>Authorization</c> value) — never by
/// searching proxynet's own text for the password, which garbled <c>127.0.0.1</c> for the password <c>1</c> and gave the
/// password away by where the mask fell. Text a peer wrote (a reason phrase, a server's reply) is the one exception:
/// a server may echo a password it was sent, so there a known password of <see cref="MinimumEchoLength"/> characters
/// or more is masked wherever it appears; shorter ones cannot be told from ordinary text.
/// </summary>
internal sealed partial class Secrets
{
    /// <summary>Passwords shorter than this are not searched for in a peer's text: "1" is in every address.</summary>
    internal const int MinimumEchoLength = 6;

    private readonly List<string> _echoed;

    public Secrets(ProxyNetOptions? options, Uri? url, IEnumerable<ProxyEndpoint?> proxies, params string?[] others)
    {
        var values = proxies.Select(p => p?.Credentials?.Password)
            .Concat(others)
            .Append(options?.Password)
            .Append(url is not null && url.UserInfo.Contains(':', StringComparison.Ordinal) ? Uri.UnescapeDataString(url.UserInfo[(url.UserInfo.IndexOf(':', StringComparison.Ordinal) + 1)..]) : null)
            .OfType<string>()
            .Where(p => p.Length >= MinimumEchoLength)
            .Distinct()
            .ToList();
        values.AddRange(values.Select(Uri.EscapeDataString).Where(e => !values.Contains(e)).ToList());

        // Longest first: a password that contains another is masked whole.
        _echoed = [.. values.OrderByDescending(v => v.Length)];
    }

    /// <summary>proxynet's own text fit for the terminal: passwords masked where they stand, control characters escaped.</summary>
    public static string Mask(string? text) => Terminal.Safe(Standing(text ?? string.Empty));

    /// <summary>A peer's text (a reason phrase, a reply) fit for the terminal: also any known password it echoes.</summary>
    public string MaskPeer(string? text)
    {
        text ??= string.Empty;
        foreach (string secret in _echoed)
        {
            text = text.Replace(secret, UrlRedaction.Mask, StringComparison.Ordinal);
        }

        return Mask(text);
    }

    /// <summary>Masks the password of every <c>scheme://user:password@</c> and the value of every secret field.</summary>
    internal static string Standing(string text)
    {
        if (text.Contains('@', StringComparison.Ordinal))
        {
            text = UserInfo().Replace(text, m => $"{m.Groups["head"].Value}{UrlRedaction.Mask}@");
        }

        return SecretField().Replace(text, m => m.Groups["value"].Value == UrlRedaction.Mask ? m.Value : $"{m.Groups["name"].Value}{m.Groups["sep"].Value}{UrlRedaction.Mask}");
    }

    [GeneratedRegex(@"(?<head>[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#@:]*:)[^\s/?#@]*@")]
    private static partial Regex UserInfo();

    [GeneratedRegex(@"(?<name>\b(?:[Pp]assword|PASSWORD|[Tt]oken|TOKEN|(?:Proxy-)?Authorization)\b)(?<sep>\s*[=:]\s*(?:Basic |Bearer |Digest |Negotiate |NTLM )?)(?<value>[^\s,;""']+)")]
    private static partial Regex SecretField();
}
