namespace ProxyNet.IntegrationTests.Servers;

/// <summary>Reads a server's log as it grows; waits briefly for a line, since servers write it after answering.</summary>
internal static class LogFile
{
    public static async Task<string> WaitForLineAsync(Func<string> read, string needle, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (true)
        {
            string text = read();
            string? line = text.Split('\n').FirstOrDefault(l => l.Contains(needle, StringComparison.Ordinal));
            if (line is not null)
            {
                return line;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"No log line contains '{needle}'. Log:\n{text}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>How many lines of <paramref name="text"/> contain <paramref name="needle"/>.</summary>
    public static int Count(string text, string needle) =>
        text.Split('\n').Count(l => l.Contains(needle, StringComparison.Ordinal));

    /// <summary>
    /// Waits for one more line containing <paramref name="needle"/> than <paramref name="before"/>: the marker for a
    /// CONNECT, whose log line carries no path. The tests of one collection run one at a time, so the new line is the
    /// test's own. Squid writes a CONNECT line when the tunnel closes: dispose the client first.
    /// </summary>
    public static async Task<string> WaitForNewLineAsync(Func<string> read, string needle, int before, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (true)
        {
            string text = read();
            var lines = text.Split('\n').Where(l => l.Contains(needle, StringComparison.Ordinal)).ToList();
            if (lines.Count > before)
            {
                return lines[^1];
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"No new log line contains '{needle}' ({before} before). Log:\n{text}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Gives the server time to write a line it should not write, then checks it did not.</summary>
    public static async Task AssertNoLineAsync(Func<string> read, string needle)
    {
        await Task.Delay(300);
        string text = read();
        Assert.False(text.Contains(needle, StringComparison.Ordinal), $"The proxy saw '{needle}' but should not have:\n{text}");
    }
}
