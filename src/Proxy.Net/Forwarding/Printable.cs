namespace ProxyNet.Forwarding;

/// <summary>Text from a peer (an exception's message that quotes a proxy) made one printable line for a response body or log.</summary>
internal static class Printable
{
    public static string Line(string text)
    {
        var span = text.AsSpan(0, Math.Min(text.Length, 500));
        return string.Create(span.Length, text, static (chars, source) =>
        {
            for (int i = 0; i < chars.Length; i++)
            {
                char c = source[i];
                chars[i] = c is < ' ' or (>= '\x7f' and <= '\x9f') or '\u2028' or '\u2029' || c is >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069' ? ' ' : c;
            }
        });
    }
}
