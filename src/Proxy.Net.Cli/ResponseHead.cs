using System.Net.Http.Headers;

namespace ProxyNet.Cli;

/// <summary>
/// A response's status line and headers as curl prints them (<c>-i</c>, <c>-I</c>, <c>-v</c>'s <c>&lt;</c> lines), each
/// one a peer's text: escaped for the terminal, and any known password it echoes masked.
/// </summary>
internal static class ResponseHead
{
    /// <summary><c>HTTP/1.1 302 Found</c>, <c>HTTP/2 200</c>; null for an ftp:// answer, which has no status line.</summary>
    public static string? StatusLine(HttpResponseMessage response, Secrets secrets)
    {
        if (response.RequestMessage?.RequestUri?.Scheme == "ftp")
        {
            return null;
        }

        var version = response.Version;
        string protocol = version.Major >= 2 ? $"HTTP/{version.Major}" : $"HTTP/{version.Major}.{version.Minor}";
        string reason = secrets.MaskPeer(response.ReasonPhrase);
        return reason.Length == 0 ? $"{protocol} {(int)response.StatusCode}" : $"{protocol} {(int)response.StatusCode} {reason}";
    }

    /// <summary>Every header line, response headers first, then the content's (<c>Content-Type</c>, <c>Content-Length</c>).</summary>
    public static IEnumerable<string> HeaderLines(HttpResponseMessage response, Secrets secrets) =>
        Lines(response.Headers, secrets).Concat(Lines(response.Content.Headers, secrets));

    /// <summary>The status line, the headers and the blank line that ends them, with curl's CRLF line ends.</summary>
    public static string Text(HttpResponseMessage response, Secrets secrets)
    {
        var lines = new List<string>();
        if (StatusLine(response, secrets) is { } status)
        {
            lines.Add(status);
        }

        lines.AddRange(HeaderLines(response, secrets));
        lines.Add(string.Empty);
        return string.Join("\r\n", lines) + "\r\n";
    }

    /// <summary>The Location of a redirect as the peer wrote it (relative or absolute), fit for printing.</summary>
    public static string? Location(HttpResponseMessage response, Secrets secrets) =>
        response.Headers.NonValidated.TryGetValues("Location", out var values) ? secrets.MaskPeer(values.ToString()) : null;

    private static IEnumerable<string> Lines(HttpHeaders headers, Secrets secrets)
    {
        foreach (var (name, values) in headers.NonValidated)
        {
            if (name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase))
            {
                foreach (string value in values)
                {
                    yield return secrets.MaskPeer($"{name}: {value}");
                }
            }
            else
            {
                yield return secrets.MaskPeer($"{name}: {values}");
            }
        }
    }
}
