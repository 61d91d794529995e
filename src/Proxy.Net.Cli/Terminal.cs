using System.Text;

namespace ProxyNet.Cli;

/// <summary>What proxynet prints: text from a peer (reason phrases, FTP replies, certificate subjects) is data, not terminal commands.</summary>
internal static class Terminal
{
    /// <summary>
    /// <paramref name="text"/> with every control character (C0, DEL, C1, and the bidirectional overrides) written as
    /// <c>\xNN</c> or <c>\uNNNN</c>, so an escape sequence from a hostile server cannot set the terminal's title,
    /// move the cursor or hide text. Line breaks become spaces: one failure is one line.
    /// </summary>
    public static string Safe(string? text) => string.IsNullOrEmpty(text) ? string.Empty : Escape(text, json: false);

    /// <summary>
    /// <paramref name="json"/> (JSON text) with every character <see cref="Safe"/> escapes written as a JSON
    /// <c>\uNNNN</c> escape: the same data for a parser, nothing for a terminal to act on. The relaxed encoder escapes
    /// control characters but leaves the bidirectional overrides raw; outside strings JSON is ASCII (its whitespace
    /// stays), so only string contents change.
    /// </summary>
    public static string SafeJson(string json) => Escape(json, json: true);

    private static string Escape(string text, bool json)
    {
        int first = 0;
        while (first < text.Length && !IsUnsafe(text[first], json))
        {
            first++;
        }

        if (first == text.Length)
        {
            return text;
        }

        var safe = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (!IsUnsafe(c, json))
            {
                safe.Append(c);
            }
            else if (!json && c is '\r' or '\n')
            {
                safe.Append(' ');
            }
            else if (!json && c < 0x100)
            {
                safe.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                safe.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return safe.ToString();
    }

    private static bool IsUnsafe(char c, bool json) =>
        (char.IsControl(c) && !(json && c is '\n' or '\r' or '\t')) || c is >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069';
}
