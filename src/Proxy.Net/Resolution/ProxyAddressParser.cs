using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ProxyNet.Resolution;

/// <summary>
/// Parses a proxy address as written in HTTP_PROXY and friends (semantics, section 2).
/// Error messages name the source and the part that is wrong, never the credentials.
/// </summary>
internal static class ProxyAddressParser
{
    public static readonly string[] Schemes = ["http", "https", "socks5", "socks5h", "socks4", "socks4a"];

    /// <summary>A decision through <paramref name="url"/>, or the error naming <paramref name="source"/> when it cannot be parsed.</summary>
    public static ProxyDecision Decide(string url, string source) =>
        TryParse(url, source, out var endpoint, out string? error) ? ProxyDecision.Via(endpoint!, source) : ProxyDecision.Failed(error!);

    public static bool TryParse(string value, string source, out ProxyEndpoint? endpoint, out string? error)
    {
        endpoint = null;
        error = null;
        string text = value.Trim();
        if (AlmostUrl(text, source) is { } almost)
        {
            error = almost;
            return false;
        }

        string scheme = "http";
        int schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            scheme = text[..schemeEnd].ToLowerInvariant();
            text = text[(schemeEnd + 3)..];
            if (!IsSchemeToken(scheme))
            {
                // Not a misspelt scheme but something else before '://' (two values, a list, user information):
                // quoting it could print a password.
                error = scheme.Any(char.IsWhiteSpace) || scheme.Contains(',')
                    ? MoreThanOne(source)
                    : $"{source}: the text before '://' is not a scheme (use http, https, socks5, socks5h, socks4 or socks4a)";
                return false;
            }

            if (Array.IndexOf(Schemes, scheme) < 0)
            {
                error = $"{source}: unsupported proxy scheme '{Sanitize(scheme)}' (use http, https, socks5, socks5h, socks4 or socks4a)";
                return false;
            }
        }

        // "http://a:3128 http://b:3128" or "a:3128,b:3128": two values, not a host with a strange port.
        if (text.Contains("://", StringComparison.Ordinal))
        {
            error = MoreThanOne(source);
            return false;
        }

        NetworkCredential? credentials = null;
        int at = text.LastIndexOf('@');
        if (at >= 0)
        {
            string userInfo = text[..at];
            text = text[(at + 1)..];
            int colon = userInfo.IndexOf(':');
            string user = colon >= 0 ? userInfo[..colon] : userInfo;
            string password = colon >= 0 ? userInfo[(colon + 1)..] : string.Empty;

            // A '%' that starts no escape stays as it is (as curl reads it).
            credentials = new NetworkCredential(Uri.UnescapeDataString(user), Uri.UnescapeDataString(password));
        }

        int pathStart = text.IndexOfAny(['/', '?', '#']);
        if (pathStart >= 0)
        {
            text = text[..pathStart];
        }

        if (text.Contains(','))
        {
            error = MoreThanOne(source);
            return false;
        }

        string host;
        string? portText = null;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']');
            if (close < 0)
            {
                error = $"{source}: missing ']' after the IPv6 address '{Sanitize(text)}'";
                return false;
            }

            host = text[1..close];
            string rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    error = $"{source}: unexpected '{Sanitize(rest)}' after the IPv6 address";
                    return false;
                }

                portText = rest[1..];
            }

            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = $"{source}: '{Sanitize(host)}' is not an IPv6 address";
                return false;
            }

            host = v6.ToString();
        }
        else
        {
            int colon = text.LastIndexOf(':');
            if (colon >= 0 && text.IndexOf(':') != colon)
            {
                error = $"{source}: an IPv6 proxy address must be written in brackets, like http://[::1]:3128";
                return false;
            }

            host = colon >= 0 ? text[..colon] : text;
            portText = colon >= 0 ? text[(colon + 1)..] : null;

            // Without '@', "user:password" reads as host and port: the port is checked first and never quoted.
            if (!string.IsNullOrEmpty(portText) && !portText.All(char.IsAsciiDigit))
            {
                error = at >= 0
                    ? $"{source}: the port is not a number"
                    : $"{source}: the port is not a number (if a user name and password come before the host, end them with '@')";
                return false;
            }

            if (host.Any(char.IsWhiteSpace))
            {
                error = $"{source}: the proxy address holds a space ('{Sanitize(host)}'); write one proxy URL without spaces, like http://proxy:3128";
                return false;
            }

            if (!TryNormalizeHost(host, out host!))
            {
                error = host.Length == 0
                    ? $"{source}: the proxy host is empty"
                    : $"{source}: host '{Sanitize(host)}' is not a valid host name";
                return false;
            }
        }

        int port = DefaultPort(scheme);
        if (!string.IsNullOrEmpty(portText))
        {
            if (!portText.All(char.IsAsciiDigit))
            {
                error = $"{source}: the port is not a number";
                return false;
            }

            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                error = $"{source}: port {portText} is out of range";
                return false;
            }
        }
        else if (portText is not null)
        {
            error = $"{source}: the port after ':' is empty";
            return false;
        }

        endpoint = new ProxyEndpoint(scheme, host, port, credentials) { CredentialSource = credentials is null ? null : $"the user information in {source}" };
        return true;
    }

    /// <summary>
    /// The configured value as it may be shown: user information masked when it is marked by '@'; without '@',
    /// a value that does not parse shows nothing after its host, since what follows a ':' may be a password whose
    /// '@' was mistyped.
    /// </summary>
    public static string Display(string value)
    {
        int start = value.IndexOf("://", StringComparison.Ordinal);
        int at = value.LastIndexOf('@');
        if (at >= 0)
        {
            // "user:pw@http://proxy" (scheme after the user information) is masked whole.
            return start < 0 || start < at ? Redaction.RedactUserInfo(value) : Redaction.Mask + value[at..];
        }

        if (TryParse(value, string.Empty, out _, out _))
        {
            return value;
        }

        start = start < 0 ? 0 : start + 3;
        int colon = value.IndexOf(':', start);
        return colon < 0 || value.AsSpan(colon + 1).TrimEnd('/').ToString().All(char.IsAsciiDigit)
            ? value
            : value[..(colon + 1)] + Redaction.Mask;
    }

    /// <summary>
    /// A value that is nearly a proxy URL but would parse as a host named after the scheme (<c>http//p:3128</c> is the
    /// host <c>http</c> on port 80 to a lenient reader): the likely mistake, named, with the value as it should read.
    /// Null for anything else. What follows the scheme is shown only through <see cref="Display"/>, so a password in it
    /// stays masked.
    /// </summary>
    private static string? AlmostUrl(string text, string source)
    {
        int end = 0;
        while (end < text.Length && char.IsAsciiLetterOrDigit(text[end]))
        {
            end++;
        }

        string head = text[..end].ToLowerInvariant();
        if (Array.IndexOf(Schemes, head) < 0)
        {
            return null;
        }

        string rest = text[end..];
        string written = $"write {head}://HOST:PORT";
        if (rest.Length == 0 || rest == ":" || rest.TrimEnd('/') is "" or ":")
        {
            return $"{source}: the value is only the scheme '{head}', with no proxy host ({written})";
        }

        string? fix = null;
        string? mistake = null;
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            mistake = $"the ':' after '{head}' is missing";
            fix = rest[2..];
        }
        else if (rest.StartsWith(":/", StringComparison.Ordinal) && !rest.StartsWith("://", StringComparison.Ordinal))
        {
            mistake = $"'{head}:' is followed by one '/' instead of two";
            fix = rest[2..];
        }
        else if (rest.StartsWith(':') && !rest.StartsWith("://", StringComparison.Ordinal))
        {
            string after = rest[1..];
            if (after.TrimEnd('/').All(char.IsAsciiDigit))
            {
                return $"{source}: '{head}:{Sanitize(after)}' names the scheme but no proxy host (write {head}://HOST:{Sanitize(after.TrimEnd('/'))})";
            }

            mistake = $"the '//' after '{head}:' is missing";
            fix = after;
        }

        if (mistake is null || fix is null)
        {
            return null;
        }

        string corrected = Display($"{head}://{fix.TrimStart('/')}");
        return $"{source}: not a proxy URL: {mistake} (write {Sanitize(corrected)})";
    }

    private static string MoreThanOne(string source) =>
        $"{source}: the value holds more than one address or a space before '://' (write one proxy URL, like http://proxy:3128)";

    public static int DefaultPort(string scheme) => scheme switch
    {
        "http" => 80,
        "https" => 443,
        _ => 1080,
    };

    private static bool IsSchemeToken(string scheme) =>
        scheme.Length > 0 && char.IsAsciiLetter(scheme[0]) && scheme.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.');

    private static bool TryNormalizeHost(string host, out string normalized)
    {
        string trimmed = host.EndsWith('.') ? host[..^1] : host;
        if (HostNames.TryNormalize(trimmed, out normalized, out _))
        {
            return true;
        }

        normalized = host;
        return false;
    }

    /// <summary>Keeps control characters out of messages that end up in logs and terminals.</summary>
    private static string Sanitize(string text)
    {
        var chars = text.Select(c => char.IsControl(c) ? '?' : c).ToArray();
        string result = new(chars);
        return result.Length > 100 ? result[..100] + "…" : result;
    }
}
