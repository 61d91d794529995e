using System.Globalization;
using System.Net;

namespace ProxyNet.Tunnel;

/// <summary>The head of a proxy's answer to CONNECT: status, reason and the headers a tunnel cares about.</summary>
internal sealed class ProxyResponse(int status, string reason, bool http10, List<KeyValuePair<string, string>> headers)
{
    public HttpStatusCode Status { get; } = (HttpStatusCode)status;

    public string Reason { get; } = reason;

    public bool IsInformational => status is >= 100 and < 200;

    public IEnumerable<string> Values(string name) =>
        headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    public IEnumerable<string> Challenges => Values("Proxy-Authenticate");

    /// <summary>The body length, -1 when chunked, null when the body runs to the end of the connection.</summary>
    public long? BodyLength
    {
        get
        {
            if (Values("Transfer-Encoding").Any(v => v.Contains("chunked", StringComparison.OrdinalIgnoreCase)))
            {
                return -1;
            }

            string? length = Values("Content-Length").FirstOrDefault();
            return length is not null && long.TryParse(length.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : null;
        }
    }

    /// <summary>True when the proxy keeps the connection after this answer (HTTP/1.1 without <c>close</c>, or 1.0 with keep-alive).</summary>
    public bool KeepsConnection
    {
        get
        {
            var tokens = Values("Connection").Concat(Values("Proxy-Connection"))
                .SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            bool close = false, keepAlive = false;
            foreach (string token in tokens)
            {
                close |= token.Equals("close", StringComparison.OrdinalIgnoreCase);
                keepAlive |= token.Equals("keep-alive", StringComparison.OrdinalIgnoreCase);
            }

            return !close && (!http10 || keepAlive);
        }
    }

    /// <summary>Parses a head (status line and header lines, without the blank line); null when it is not HTTP/1.x.</summary>
    public static ProxyResponse? Parse(string head)
    {
        string[] lines = head.Split("\r\n");
        string[] statusLine = lines[0].Split(' ', 3);
        if (statusLine.Length < 2 || !statusLine[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            || statusLine[1].Length != 3 || !int.TryParse(statusLine[1], NumberStyles.None, CultureInfo.InvariantCulture, out int code) || code < 100)
        {
            return null;
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }
        }

        return new ProxyResponse(code, statusLine.Length > 2 ? statusLine[2] : string.Empty, statusLine[0] == "HTTP/1.0", headers);
    }
}
