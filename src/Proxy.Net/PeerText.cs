using System.Buffers;
using System.Text;

namespace ProxyNet;

/// <summary>
/// Text that came from a peer or a script (a proxy's reason phrase, a challenge, an FTP reply, a certificate's name,
/// a PAC script's alert) made fit for one line of an exception message or a log: every control character (C0, DEL,
/// C1), line and paragraph separator and bidirectional override written as <c>\xNN</c> or <c>\uNNNN</c>, so no value can
/// end a line, start a forged one or move a terminal's cursor; cut at a length. The one helper for every such output
/// (compiled into Proxy.Net.Pac from this file too).
/// </summary>
internal static class PeerText
{
    private static readonly SearchValues<char> Special = SearchValues.Create(
        string.Concat(Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7f, 0x21)).Select(i => (char)i))
        + "\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069");

    /// <summary>True when <paramref name="text"/> holds any character <see cref="Escape"/> rewrites: it must not reach a header line.</summary>
    public static bool HasControl(string text) => text.AsSpan().ContainsAny(Special);

    public static string Escape(string? text, int maxLength = 1000)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

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
}
