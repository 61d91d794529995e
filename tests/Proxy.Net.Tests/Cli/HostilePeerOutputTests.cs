using ProxyNet.Tests.Fakes;

namespace ProxyNet.Tests.Cli;

/// <summary>More hostile peers for the tool: escape sequences in an FTP reply, and a body that dies mid-transfer.</summary>
public sealed class HostilePeerOutputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("proxynet-hostile-out-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Escape_sequences_in_an_FTP_reply_are_printed_escaped()
    {
        await using var ftp = new ScriptedServer(async (s, _) =>
        {
            await s.WriteAsync(System.Text.Encoding.Latin1.GetBytes("220 \u001b]0;pwned\u0007 welcome\r\n"));
            while (await ScriptedServer.ReadLineAsync(s) is { } line)
            {
                string reply = line.StartsWith("USER", StringComparison.Ordinal) || line.StartsWith("PASS", StringComparison.Ordinal)
                    ? "530 \u001b[2J\u009b31m login refused\r\n"
                    : "221 bye\r\n";
                await s.WriteAsync(System.Text.Encoding.Latin1.GetBytes(reply));
                if (reply.StartsWith("221", StringComparison.Ordinal))
                {
                    return;
                }
            }
        });

        var (exit, stdout, stderr) = await CliRunner.RunAsync(string.Empty, "get", $"ftp://127.0.0.1:{ftp.Port}/f", "-v", "--timeout", "5", "-o", Path.Combine(_dir, "f"));

        Assert.NotEqual(0, exit);
        string all = stdout + stderr;
        Assert.Contains("login refused", all, StringComparison.Ordinal);
        foreach (char c in "\u001b\u0007\u009b")
        {
            Assert.False(all.Contains(c, StringComparison.Ordinal), $"printed U+{(int)c:X4}: {all}");
        }

        Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "f")));
    }

    [Fact]
    public async Task A_body_cut_short_leaves_the_users_FILE_and_FILE_part_as_they_were()
    {
        string output = Path.Combine(_dir, "file");
        await File.WriteAllTextAsync(output, "the user's file");
        await File.WriteAllTextAsync(output + ".part", "the user's half download");
        await using var origin = new ScriptedServer(async (s, _) =>
        {
            await ScriptedServer.ReadHeadAsync(s);
            await ScriptedServer.WriteAsync(s, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\nthe first bytes of a body that never ends");
        });

        var (exit, stdout, stderr) = await CliRunner.RunAsync(string.Empty, "get", $"http://127.0.0.1:{origin.Port}/file", "-o", output, "--timeout", "5");

        Assert.NotEqual(0, exit);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
        Assert.Equal("the user's file", await File.ReadAllTextAsync(output));
        Assert.Equal("the user's half download", await File.ReadAllTextAsync(output + ".part"));

        // The tool's own partial file (a new name beside the user's FILE.part) is removed.
        Assert.Equal(["file", "file.part"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order());
    }
}
