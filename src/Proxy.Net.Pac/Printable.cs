using System.Text;

namespace ProxyNet.Pac;

/// <summary>
/// Text from a script or a server made fit for one log line or message: control characters (C0, DEL, C1), line and
/// paragraph separators and bidirectional overrides written as <c>\xNN</c> / <c>\uNNNN</c>, so no value can start a
/// line of its own or forge one; cut at a length.
/// </summary>
internal static class Printable
{
    public static string Escape(string text, int maxLength = 1000)
    {
        bool cut = text.Length > maxLength;
        var span = cut ? text.AsSpan(0, maxLength) : text.AsSpan();
        if (!cut && !span.ContainsAny(Special))
        {
            return text;
        }

        var builder = new StringBuilder(span.Length + 16);
        foreach (char c in span)
        {
            if (!Special.Contains(c))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append(c <= '\xff' ? $"\\x{(int)c:x2}" : $"\\u{(int)c:x4}");
            }
        }

        return cut ? builder.Append('…').ToString() : builder.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> Special = System.Buffers.SearchValues.Create(
        string.Concat(Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7f, 0x21)).Select(i => (char)i))
        + "\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069");
}
