using System.Text;

namespace ProxyNet.Forwarding;

/// <summary>
/// One parsed HTTP/1.x request head. Strict on purpose: a bare CR or LF inside a line, a NUL, obsolete line folding,
/// a space before a colon or a second <c>Content-Length</c> that disagrees are each refused (request smuggling).
/// </summary>
internal sealed class RequestHead
{
    private RequestHead(string method, string target, int minor, List<KeyValuePair<string, string>> headers)
    {
        Method = method;
        Target = target;
        Minor = minor;
        Headers = headers;
    }

    public string Method { get; }

    public string Target { get; }

    /// <summary>The HTTP/1 minor version: 0 or 1.</summary>
    public int Minor { get; }

    public List<KeyValuePair<string, string>> Headers { get; }

    public string? this[string name] => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public bool Has(string name, string token) =>
        Headers.Any(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)
            && h.Value.Split(',', StringSplitOptions.TrimEntries).Any(t => t.Equals(token, StringComparison.OrdinalIgnoreCase)));

    /// <summary>Parses the head (without its final empty line); a problem is a <see cref="FormatException"/> whose message a 400 can carry.</summary>
    public static RequestHead Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IndexOfAny((byte)0, (byte)0x7f) >= 0)
        {
            throw new FormatException("the request head contains a NUL or DEL byte");
        }

        string text = Encoding.Latin1.GetString(bytes);
        string[] lines = text.Split("\r\n");
        string[] request = lines[0].Split(' ');
        if (request.Length != 3 || request[0].Length == 0 || request[1].Length == 0 || !request[0].All(char.IsAsciiLetterUpper))
        {
            throw new FormatException("the request line is not METHOD TARGET HTTP/1.x");
        }

        int minor = request[2] switch
        {
            "HTTP/1.1" => 1,
            "HTTP/1.0" => 0,
            _ => throw new FormatException($"'{Clip(request[2])}' is not HTTP/1.0 or HTTP/1.1"),
        };
        var headers = new List<KeyValuePair<string, string>>(lines.Length);
        foreach (string line in lines.AsSpan(1))
        {
            int colon = line.IndexOf(':');
            if (colon <= 0 || line[0] is ' ' or '\t' || line[colon - 1] is ' ' or '\t' || line.AsSpan(0, colon).ContainsAny(" \t\r\n"))
            {
                throw new FormatException($"'{Clip(line)}' is not a header line");
            }

            string value = line[(colon + 1)..].Trim(' ', '\t');
            if (value.AsSpan().ContainsAny("\r\n"))
            {
                throw new FormatException("a header value contains CR or LF");
            }

            headers.Add(new(line[..colon], value));
        }

        if (request[1].AsSpan().ContainsAny("\r\n\t"))
        {
            throw new FormatException("the request target contains a control character");
        }

        return new RequestHead(request[0], request[1], minor, headers);
    }

    private static string Clip(string text) => string.Concat(text.Take(60).Select(c => c is < ' ' or > '~' ? '?' : c));
}
