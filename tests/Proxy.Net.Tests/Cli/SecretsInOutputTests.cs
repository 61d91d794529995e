using ProxyNet.Tests.Fakes;

namespace ProxyNet.Tests.Cli;

/// <summary>Every command, given a password in the origin or FTP URL (or a mistyped proxy value), prints none of it.</summary>
public sealed class SecretsInOutputTests
{
    private const string Secret = "hunter2";

    [Theory]
    [InlineData("resolve")]
    [InlineData("resolve", "--json")]
    [InlineData("explain")]
    [InlineData("doctor", "--timeout", "1")]
    [InlineData("doctor", "--json", "--timeout", "1")]
    [InlineData("get", "--timeout", "5", "-v")]
    [InlineData("put", "--timeout", "5", "-v")]
    public async Task No_command_prints_the_password_of_an_origin_or_FTP_URL(params string[] command)
    {
        await using var http = new ScriptedServer(async (s, _) =>
        {
            await ScriptedServer.ReadHeadAsync(s);
            await ScriptedServer.WriteAsync(s, $"HTTP/1.1 404 Not Found for {Secret}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        });
        await using var ftp = new ScriptedServer(async (s, _) =>
        {
            await ScriptedServer.WriteAsync(s, "220 fake\r\n");
            while (await ScriptedServer.ReadLineAsync(s) is { } line)
            {
                await ScriptedServer.WriteAsync(s, line.StartsWith("USER", StringComparison.Ordinal) ? "331 password please\r\n" : $"530 refused: {line}\r\n");
            }
        });
        string upload = Path.GetTempFileName();
        try
        {
            foreach (string url in new[]
            {
                $"http://alice:{Secret}@127.0.0.1:{http.Port}/file?sig={Secret}",
                $"ftp://alice:{Secret}@127.0.0.1:{ftp.Port}/in/report.csv",
                $"http://alice:{Secret}@exa mple/",
            })
            {
                string[] args = command[0] switch
                {
                    "put" => [command[0], upload, url, .. command[1..]],
                    _ => [command[0], url, .. command[1..]],
                };
                var (_, stdout, stderr) = await CliRunner.RunAsync(string.Empty, args);
                Assert.DoesNotContain(Secret, stdout + stderr, StringComparison.Ordinal);
                Assert.True(stdout.Length + stderr.Length > 0, "the command printed nothing");
            }
        }
        finally
        {
            File.Delete(upload);
        }
    }

    [Theory]
    [InlineData("explain", "http://example.com/")]
    [InlineData("resolve", "http://example.com/")]
    [InlineData("doctor", "--timeout", "1")]
    [InlineData("doctor", "--json", "--timeout", "1")]
    [InlineData("get", "http://127.0.0.1:9/", "--timeout", "2")]
    public async Task No_command_prints_a_password_whose_at_sign_was_mistyped(params string[] args)
    {
        foreach (string value in new[] { $"http://alice:{Secret}#proxy.corp:3128", $"http://alice:{Secret}/proxy.corp:3128", $"alice:{Secret}@http://proxy.corp:3128" })
        {
            var (exit, stdout, stderr) = await CliRunner.RunAsync($"HTTP_PROXY={value}", args);
            Assert.NotEqual(0, exit);
            Assert.DoesNotContain(Secret, stdout + stderr, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("1")]
    [InlineData("proxy")]
    [InlineData("0.0")]
    public async Task A_short_password_is_masked_where_it_stands_and_garbles_nothing_else(string password)
    {
        string environment = $"HTTP_PROXY=http://alice:{password}@127.0.0.1:9|HTTPS_PROXY=http://alice:{password}@127.0.0.1:9";

        var (_, explain, _) = await CliRunner.RunAsync(environment, "explain", "http://127.0.0.1:8080/");
        var (_, doctor, doctorErrors) = await CliRunner.RunAsync(environment, "doctor", "--timeout", "1");
        var (_, json, _) = await CliRunner.RunAsync(environment, "resolve", "--json", "http://127.0.0.1:8080/");

        Assert.Contains("http://alice:***@127.0.0.1:9", explain, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:8080", explain, StringComparison.Ordinal);
        Assert.Contains("\"proxy\":\"http://127.0.0.1:9\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("***27", explain + doctor + json, StringComparison.Ordinal);
        Assert.DoesNotContain("no *** variable", doctor + doctorErrors, StringComparison.Ordinal);
        Assert.DoesNotContain($"alice:{password}@", explain + doctor + doctorErrors + json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_REQUEST_METHOD_still_turns_the_CGI_rule_on()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("REQUEST_METHOD=|HTTP_PROXY=http://evil:1", "resolve", "--json", "http://example.com/");
        Assert.Equal(0, exit);
        Assert.Contains("\"proxy\":null", stdout, StringComparison.Ordinal);
        (_, stdout, _) = await CliRunner.RunAsync("REQUEST_METHOD=|HTTP_PROXY=http://evil:1", "doctor", "--timeout", "1");
        Assert.Contains("CGI rule", stdout, StringComparison.Ordinal);
    }
}
