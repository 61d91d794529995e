namespace ProxyNet;

/// <summary>
/// Headers meant for a proxy only (<c>ProxyHeaders</c>, like curl's <c>--proxy-header</c> and Go's
/// <c>ProxyConnectHeader</c>): checked once when the configuration compiles, written on CONNECT, and on an absolute-form
/// request listed in <c>Connection</c> so that the proxy removes them before it forwards the request.
/// </summary>
internal static class ProxyHeaders
{
    /// <summary>Names the transports or the login engine own: a configured value would break them or smuggle a second answer.</summary>
    private static bool IsReserved(string name) => name.ToLowerInvariant() is "host" or "proxy-authorization" or "proxy-connection"
        or "connection" or "content-length" or "transfer-encoding" or "upgrade" or "te" or "trailer" or "keep-alive" or "expect";

    /// <summary>The problem with one header, in words, or null when it may be sent.</summary>
    public static string? Problem(string name, string? value)
    {
        if (name.Length == 0 || !name.All(IsTokenChar))
        {
            return $"'{Sanitize(name)}' is not a header name (letters, digits and !#$%&'*+-.^_`|~ only)";
        }

        if (IsReserved(name))
        {
            return $"{name} is set by Proxy.Net itself and cannot be configured";
        }

        return value is not null && value.Any(c => c is '\r' or '\n' or '\0')
            ? "the value contains a line break or NUL (header injection)"
            : null;
    }

    /// <summary>The headers of <paramref name="configured"/> in a stable order, or the first problem naming its key.</summary>
    public static (IReadOnlyList<KeyValuePair<string, string>> Headers, List<string> Errors) Compile(IDictionary<string, string>? configured, string keyPrefix)
    {
        var errors = new List<string>();
        if (configured is not { Count: > 0 })
        {
            return ([], errors);
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in configured.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (Problem(name, value) is { } problem)
            {
                errors.Add($"{keyPrefix}:{Sanitize(name)}: {problem}");
                continue;
            }

            headers.Add(new(name, (value ?? string.Empty).Trim()));
        }

        return (headers, errors);
    }

    public static bool SameAs(IReadOnlyList<KeyValuePair<string, string>> a, IReadOnlyList<KeyValuePair<string, string>> b) =>
        ReferenceEquals(a, b) || a.SequenceEqual(b);

    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';

    private static string Sanitize(string text) => new([.. text.Take(60).Select(c => char.IsControl(c) ? '?' : c)]);
}
