using ProxyNet.Tests.Fakes;

namespace ProxyNet.Tests.Cli;

/// <summary><c>proxynet get</c> against hostile proxies: non-zero within its timeout, one line, no password.</summary>
public sealed class GetCommandHostileTests
{
    [Theory]
    [InlineData("garbage")]
    [InlineData("huge-header")]
    [InlineData("never-ending")]
    public async Task Exits_non_zero_within_the_timeout_with_one_line_and_no_password(string behaviour)
    {
        await using var proxy = new ScriptedServer(async (s, _) =>
        {
            await ScriptedServer.ReadHeadAsync(s);
            switch (behaviour)
            {
                case "garbage":
                    await ScriptedServer.WriteAsync(s, "\u0016\u0003 this is not http\r\n\r\n");
                    break;
                case "huge-header":
                    await ScriptedServer.WriteAsync(s, "HTTP/1.1 200 OK\r\nX-Big: " + new string('a', 1 << 20) + "\r\n\r\n");
                    break;
                default:
                    await ScriptedServer.WriteAsync(s, "HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n");
                    for (int i = 0; i < 100; i++)
                    {
                        await s.WriteAsync(new byte[1]);
                        await Task.Delay(100);
                    }

                    break;
            }
        });
        string output = Path.Combine(Path.GetTempPath(), $"proxynet-hostile-{Guid.NewGuid():N}");
        var started = DateTime.UtcNow;
        var (exit, stdout, stderr) = await CliRunner.RunAsync($"HTTP_PROXY=http://user:hunter2@127.0.0.1:{proxy.Port}", "get", "http://origin.example/file", "-o", output, "--timeout", "3");
        Assert.NotEqual(0, exit);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), $"took {DateTime.UtcNow - started}");
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.DoesNotContain("hunter2", stdout + stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(output + ".part"));
    }
}
