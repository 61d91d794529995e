namespace ProxyNet.Authentication;

internal static class Hex
{
    /// <summary>Lower-case hex, as Digest hashes are written (RFC 7616 §3.4).</summary>
    public static string Lower(ReadOnlySpan<byte> bytes) => string.Create(bytes.Length * 2, bytes.ToArray(), static (chars, data) =>
    {
        const string digits = "0123456789abcdef";
        for (int i = 0; i < data.Length; i++)
        {
            chars[2 * i] = digits[data[i] >> 4];
            chars[(2 * i) + 1] = digits[data[i] & 0xF];
        }
    });
}
