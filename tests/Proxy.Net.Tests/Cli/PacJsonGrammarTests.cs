namespace ProxyNet.Tests.Cli;

/// <summary>
/// Section 7's JSON for PAC decisions, written out by hand (not computed with the library's own parser): every
/// answer keyword, a missing port, odd spacing and case, DIRECT as null, skipped items, and an answer with nothing usable.
/// </summary>
public sealed class PacJsonGrammarTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("proxynet-cli-pacjson-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("PROXY a.corp:3128; DIRECT", """{"url":"http://x.example/","proxy":"http://a.corp:3128","candidates":["http://a.corp:3128",null],"reason":"PAC FindProxyForURL returned \"PROXY a.corp:3128; DIRECT\""}""")]
    [InlineData("DIRECT", """{"url":"http://x.example/","proxy":null,"candidates":[null],"reason":"PAC FindProxyForURL returned \"DIRECT\""}""")]
    [InlineData("DIRECT; PROXY a:1", """{"url":"http://x.example/","proxy":null,"candidates":[null,"http://a:1"],"reason":"PAC FindProxyForURL returned \"DIRECT; PROXY a:1\""}""")]
    [InlineData("PROXY a", """{"url":"http://x.example/","proxy":"http://a:80","candidates":["http://a:80"],"reason":"PAC FindProxyForURL returned \"PROXY a\""}""")]
    [InlineData("  https b:8443 ;;SOCKS c:1080;  socks5 d:1;SOCKS4 e:2; HTTP f:3", """{"url":"http://x.example/","proxy":"https://b:8443","candidates":["https://b:8443","socks5://c:1080","socks5://d:1","socks4://e:2","http://f:3"],"reason":"PAC FindProxyForURL returned \"  https b:8443 ;;SOCKS c:1080;  socks5 d:1;SOCKS4 e:2; HTTP f:3\""}""")]
    [InlineData("HTTPS b", """{"url":"http://x.example/","proxy":"https://b:443","candidates":["https://b:443"],"reason":"PAC FindProxyForURL returned \"HTTPS b\""}""")]
    [InlineData("SOCKS c", """{"url":"http://x.example/","proxy":"socks5://c:1080","candidates":["socks5://c:1080"],"reason":"PAC FindProxyForURL returned \"SOCKS c\""}""")]
    [InlineData("BOGUS x:1; PROXY [2001:db8::1]:3128", """{"url":"http://x.example/","proxy":"http://[2001:db8::1]:3128","candidates":["http://[2001:db8::1]:3128"],"reason":"PAC FindProxyForURL returned \"BOGUS x:1; PROXY [2001:db8::1]:3128\""}""")]
    public async Task Resolve_json_writes_the_candidates_of_the_answer(string answer, string expected)
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync(string.Empty, "resolve", "--json", "--pac", Script(answer), "http://x.example/");

        Assert.True(exit == 0, stderr);
        Assert.Equal(expected, stdout.TrimEnd('\n'));
    }

    [Fact]
    public async Task An_answer_with_nothing_usable_is_an_error_line_and_exit_1()
    {
        string script = Script("BOGUS a:1; DIRECTLY");

        var (exit, stdout, _) = await CliRunner.RunAsync(string.Empty, "resolve", "--json", "--pac", script, "http://x.example/");

        Assert.Equal(1, exit);
        Assert.StartsWith("""{"url":"http://x.example/","error":""", stdout, StringComparison.Ordinal);
        Assert.Contains(script, stdout, StringComparison.Ordinal);
    }

    private string Script(string answer)
    {
        string path = Path.Combine(_dir, $"{Guid.NewGuid():N}.pac");
        File.WriteAllText(path, $"function FindProxyForURL(url, host) {{ return {System.Text.Json.JsonSerializer.Serialize(answer)}; }}\n");
        return path;
    }
}
