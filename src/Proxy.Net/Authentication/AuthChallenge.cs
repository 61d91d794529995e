namespace ProxyNet.Authentication;

/// <summary>
/// One challenge from a <c>Proxy-Authenticate</c> header (RFC 9110 §11.6.1): a scheme with either a token68
/// (<c>Negotiate YIIB…</c>) or auth-params (<c>Digest realm="x", nonce="y"</c>). One header may carry several.
/// </summary>
internal sealed class AuthChallenge(string scheme, string? token, IReadOnlyDictionary<string, string> parameters)
{
    public string Scheme { get; } = scheme;

    /// <summary>The token68 (a Negotiate/NTLM blob), or null.</summary>
    public string? Token { get; } = token;

    public IReadOnlyDictionary<string, string> Parameters { get; } = parameters;

    public string? this[string name] => Parameters.TryGetValue(name, out string? value) ? value : null;

    /// <summary>Every challenge in the given header values, in order; malformed parts are skipped.</summary>
    public static List<AuthChallenge> Parse(IEnumerable<string> headerValues)
    {
        var challenges = new List<AuthChallenge>();
        foreach (string value in headerValues)
        {
            ParseOne(value, challenges);
        }

        return challenges;
    }

    public override string ToString() => Scheme;

    private static void ParseOne(string text, List<AuthChallenge> into)
    {
        int i = 0;
        while (i < text.Length)
        {
            SkipSeparators(text, ref i);
            string scheme = ReadToken(text, ref i);
            if (scheme.Length == 0)
            {
                i++;
                continue;
            }

            SkipSpaces(text, ref i);
            string? token = null;
            var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            int save = i;
            string first = ReadToken68(text, ref i);
            SkipSpaces(text, ref i);
            if (first.Length > 0 && (i >= text.Length || text[i] == ','))
            {
                token = first;
            }
            else
            {
                i = save;
                ReadParameters(text, ref i, parameters);
            }

            into.Add(new AuthChallenge(scheme, token, parameters));
        }
    }

    /// <summary>Reads <c>name=value</c> pairs until the next challenge (a token followed by a space, not <c>=</c>).</summary>
    private static void ReadParameters(string text, ref int i, Dictionary<string, string> parameters)
    {
        while (i < text.Length)
        {
            SkipSeparators(text, ref i);
            int start = i;
            string name = ReadToken(text, ref i);
            SkipSpaces(text, ref i);
            if (name.Length == 0 || i >= text.Length || text[i] != '=')
            {
                // The start of the next challenge.
                i = start;
                return;
            }

            i++;
            SkipSpaces(text, ref i);
            string value = i < text.Length && text[i] == '"' ? ReadQuoted(text, ref i) : ReadToken68(text, ref i);
            parameters.TryAdd(name, value);
            SkipSpaces(text, ref i);
            if (i < text.Length && text[i] != ',')
            {
                return;
            }
        }
    }

    private static string ReadQuoted(string text, ref int i)
    {
        var value = new System.Text.StringBuilder();
        i++;
        while (i < text.Length && text[i] != '"')
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
            }

            value.Append(text[i]);
            i++;
        }

        i++;
        return value.ToString();
    }

    private static string ReadToken(string text, ref int i)
    {
        int start = i;
        while (i < text.Length && IsTokenChar(text[i]))
        {
            i++;
        }

        return text[start..i];
    }

    private static string ReadToken68(string text, ref int i)
    {
        int start = i;
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '-' or '.' or '_' or '~' or '+' or '/'))
        {
            i++;
        }

        while (i < text.Length && text[i] == '=')
        {
            i++;
        }

        return text[start..i];
    }

    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';

    private static void SkipSpaces(string text, ref int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t')
        {
            i++;
        }
    }

    private static void SkipSeparators(string text, ref int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t' or ',')
        {
            i++;
        }
    }
}
