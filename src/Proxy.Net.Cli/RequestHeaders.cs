using System.Net.Http.Headers;
using System.Text;

namespace ProxyNet.Cli;

/// <summary>
/// curl's <c>-H</c> lines and <c>-u</c> login, read once before the request: <c>"Name: value"</c> adds the header,
/// <c>"Name:"</c> removes it, <c>"Name;"</c> sends it with an empty value. A request header goes on the request, a
/// content header (<c>Content-Type</c>) on put's body.
/// </summary>
internal sealed class RequestHeaders
{
    private readonly List<(string Name, string? Value)> _lines = [];

    private RequestHeaders()
    {
    }

    /// <summary>The headers as they will be sent, for <c>-v</c>'s <c>&gt;</c> lines (secret values masked there).</summary>
    public IReadOnlyList<(string Name, string? Value)> Lines => _lines;

    /// <summary>The <c>-u</c> password (for masking an echo), or null.</summary>
    public string? Password { get; private set; }

    /// <summary>The <c>-u</c> user and password for an ftp:// URL, which logs in with USER/PASS instead of a header.</summary>
    public System.Net.NetworkCredential? FtpLogin { get; private set; }

    /// <exception cref="UsageException">A line that is not a header, or one proxynet will not send.</exception>
    public static RequestHeaders Parse(IReadOnlyList<string> lines, string? user, bool ftp)
    {
        var headers = new RequestHeaders();
        foreach (string line in lines)
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            int semicolon = line.IndexOf(';', StringComparison.Ordinal);
            bool empty = colon < 0 && semicolon > 0 && line[(semicolon + 1)..].Trim().Length == 0;
            string name = (empty ? line[..semicolon] : colon > 0 ? line[..colon] : string.Empty).Trim();
            if (name.Length == 0 || name.Any(c => c <= ' ' || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".Contains(c, StringComparison.Ordinal)))
            {
                // Not echoed: a mistyped "Authorization Bearer TOKEN" would print the token.
                throw new UsageException("-H needs \"NAME: VALUE\" (or \"NAME:\" to remove a header, \"NAME;\" to send it empty), with a NAME of letters, digits and -");
            }

            if (name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase))
            {
                // The library owns the proxy's login and strips the header on every hop: it would never be sent.
                throw new UsageException("-H Proxy-Authorization is not sent: the proxy login is -U USER:PASSWORD (or user:password@ in the -x URL)");
            }

            string? value = empty ? string.Empty : line[(colon + 1)..].Trim();
            if (value.Contains('\r', StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal))
            {
                throw new UsageException($"-H {name}: a header value cannot contain a line break");
            }

            headers._lines.Add((name, !empty && value.Length == 0 ? null : value));
        }

        if (user is not null)
        {
            int colon = user.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new UsageException("-u/--user needs USER:PASSWORD (proxynet does not prompt for a password)");
            }

            headers.Password = user[(colon + 1)..];
            if (ftp)
            {
                headers.FtpLogin = new System.Net.NetworkCredential(user[..colon], headers.Password);
            }
            else
            {
                headers._lines.Insert(0, ("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user))));
            }
        }

        return headers;
    }

    /// <summary>Puts the headers on <paramref name="request"/> (content headers on its content, when it has one).</summary>
    /// <exception cref="UsageException">A content header on a request without a body.</exception>
    public void Apply(HttpRequestMessage request)
    {
        foreach (var (name, value) in _lines)
        {
            HttpHeaders target = request.Headers;
            if (IsContentHeader(name))
            {
                target = request.Content?.Headers ?? throw new UsageException($"-H {name}: a body header, and this request has no body (put sends one)");
            }

            target.Remove(name);
            if (value is not null)
            {
                target.TryAddWithoutValidation(name, value);
            }
        }
    }

    private static bool IsContentHeader(string name) =>
        name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) || name.Equals("Expires", StringComparison.OrdinalIgnoreCase) || name.Equals("Last-Modified", StringComparison.OrdinalIgnoreCase) || name.Equals("Allow", StringComparison.OrdinalIgnoreCase);
}
