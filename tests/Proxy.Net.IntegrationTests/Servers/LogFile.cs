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

    /// <summary>Gives the server time to write a line it should not write, then checks it did not.</summary>
    public static async Task AssertNoLineAsync(Func<string> read, string needle)
    {
        await Task.Delay(300);
        string text = read();
        Assert.False(text.Contains(needle, StringComparison.Ordinal), $"The proxy saw '{needle}' but should not have:\n{text}");
    }
}
