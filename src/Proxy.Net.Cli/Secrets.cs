using ProxyNet.Configuration;
using ProxyNet.Resolution;

namespace ProxyNet.Cli;

/// <summary>
/// The passwords one command line knows (the URL's, the proxies', <c>Proxy:Password</c>), raw and percent-encoded,
/// so that text from a peer or an exception is printed without them: a hostile server may echo one.
/// </summary>
internal sealed class Secrets
{
    private readonly List<string> _values;

    public Secrets(ProxyNetOptions? options, Uri? url, IEnumerable<ProxyEndpoint?> proxies)
    {
        var values = proxies.Select(p => p?.Credentials?.Password)
            .Append(options?.Password)
            .Append(url is not null && url.UserInfo.Contains(':', StringComparison.Ordinal) ? Uri.UnescapeDataString(url.UserInfo[(url.UserInfo.IndexOf(':', StringComparison.Ordinal) + 1)..]) : null)
            .OfType<string>()
            .Where(p => p.Length > 0)
            .Distinct()
            .ToList();
        values.AddRange(values.Select(Uri.EscapeDataString).Where(e => !values.Contains(e)).ToList());

        // Longest first: a password that contains another is masked whole.
        _values = [.. values.OrderByDescending(v => v.Length)];
    }

    /// <summary><paramref name="text"/> with every known password masked and control characters escaped: fit for the terminal.</summary>
    public string Mask(string? text)
    {
        text ??= string.Empty;
        foreach (string secret in _values)
        {
            text = text.Replace(secret, UrlRedaction.Mask, StringComparison.Ordinal);
        }

        return Terminal.Safe(text);
    }
}
