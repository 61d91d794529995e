using System.Text;

namespace ProxyNet.Tests.Fakes;

/// <summary>Reads a stream's bytes as text (Latin-1: one char a byte), for the tests that look at what a tunnel delivers.</summary>
internal static class StreamText
{
    /// <summary>One read of at most 100 bytes: what has arrived so far.</summary>
    public static async Task<string> ReadSomeAsync(Stream stream)
    {
        var buffer = new byte[100];
        int n = await stream.ReadAsync(buffer);
        return Encoding.Latin1.GetString(buffer, 0, n);
    }

    /// <summary>Everything to the end of the stream, in small reads (64 bytes) so that a body crosses read boundaries.</summary>
    public static async Task<string> ReadToEndAsync(Stream stream)
    {
        var text = new StringBuilder();
        var buffer = new byte[64];
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            text.Append(Encoding.Latin1.GetString(buffer, 0, n));
        }

        return text.ToString();
    }
}
