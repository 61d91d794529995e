using System.Text.Json;

namespace ProxyNet.Tests.Cli;

/// <summary>The <c>proxynet resolve</c> / <c>explain</c> contract (semantics, section 5), run as a real process.</summary>
public sealed class ResolveCommandTests
{
    [Fact]
    public async Task Prints_one_json_object_per_url_in_argument_order()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("HTTP_PROXY=http://proxy.corp:3128|NO_PROXY=10.0.0.0/8", "resolve", "--json", "http://10.1.2.3/", "http://example.com/");
        Assert.Equal(0, exit);
        Assert.Equal(
            """
            {"url":"http://10.1.2.3/","proxy":null,"reason":"NO_PROXY entry 10.0.0.0/8"}
            {"url":"http://example.com/","proxy":"http://proxy.corp:3128","reason":"HTTP_PROXY"}

            """,
            stdout.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task A_configuration_error_is_an_error_object_and_exit_code_1()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("HTTP_PROXY=http://user:hunter2@example.com:99999", "resolve", "--json", "http://example.com/", "https://example.com/");
        Assert.Equal(1, exit);
        string[] lines = stdout.Trim().Split('\n');
        Assert.Equal("""{"url":"http://example.com/","error":"HTTP_PROXY: port 99999 is out of range"}""", lines[0].Trim());
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal(JsonValueKind.Null, second.RootElement.GetProperty("proxy").ValueKind);
        Assert.DoesNotContain("hunter2", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("resolve")]
    [InlineData("resolve", "--json")]
    [InlineData("resolve", "--bogus", "http://example.com/")]
    [InlineData("resolve", "--json", "not a url")]
    [InlineData("frobnicate")]
    [InlineData("resolve", "--config")]
    [InlineData("resolve", "--config", "/nonexistent/proxy.json", "http://example.com/")]
    public async Task Bad_usage_exits_2(params string[] args)
    {
        var (exit, _, stderr) = await CliRunner.RunAsync(string.Empty, args);
        Assert.Equal(2, exit);
        Assert.StartsWith("proxynet:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_are_never_printed()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync("HTTPS_PROXY=http://alice:hunter2@p:3128", "resolve", "--json", "https://example.com/");
        Assert.Equal(0, exit);
        Assert.Contains("\"proxy\":\"http://p:3128\"", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", stdout, StringComparison.Ordinal);
        (_, stdout, stderr) = await CliRunner.RunAsync("HTTPS_PROXY=http://alice:hunter2@p:3128", "explain", "https://example.com/");
        Assert.DoesNotContain("hunter2", stdout + stderr, StringComparison.Ordinal);
        Assert.Contains("***", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_NO_PROXY_entry_warns_on_stderr_and_keeps_stdout_clean()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync("HTTP_PROXY=http://p:1|NO_PROXY=10.0.0.0/33,example.com", "resolve", "--json", "http://example.com/");
        Assert.Equal(0, exit);
        Assert.Contains("10.0.0.0/33", stderr, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("NO_PROXY entry example.com", doc.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Config_file_then_Proxy__variables_then_the_proxy_variables()
    {
        string file = Path.Combine(Path.GetTempPath(), $"proxynet-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{"Proxy":{"Host":"conf.corp","Port":3128,"ExcludedDomains":["localhost,.svc.cluster.local"]}}""");
        try
        {
            var (exit, stdout, _) = await CliRunner.RunAsync(
                "HTTP_PROXY=http://env:1|Proxy__HttpsProxy=http://dunder:2",
                "resolve", "--json", "--config", file, "http://example.com/", "https://example.com/", "http://a.svc.cluster.local/");
            Assert.Equal(0, exit);
            string[] lines = stdout.Trim().Split('\n');
            Assert.Contains("\"proxy\":\"http://conf.corp:3128\",\"reason\":\"Proxy:Host\"", lines[0], StringComparison.Ordinal);
            Assert.Contains("\"proxy\":\"http://dunder:2\",\"reason\":\"Proxy:HttpsProxy\"", lines[1], StringComparison.Ordinal);
            Assert.Contains("\"reason\":\"Proxy:ExcludedDomains entry .svc.cluster.local\"", lines[2], StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Grpc_hint_applies_GRPC_PROXY_first()
    {
        var (_, stdout, _) = await CliRunner.RunAsync("HTTPS_PROXY=http://s:1|grpc_proxy=http://g:2|GRPC_PROXY=http://G:3", "resolve", "--json", "--grpc", "https://api.example/", "wss://api.example/");
        Assert.Contains("\"proxy\":\"http://g:2\",\"reason\":\"grpc_proxy\"", stdout, StringComparison.Ordinal);
        (_, stdout, _) = await CliRunner.RunAsync("HTTPS_PROXY=http://s:1", "resolve", "--json", "--grpc", "https://api.example/");
        Assert.Contains("\"proxy\":\"http://s:1\",\"reason\":\"HTTPS_PROXY\"", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_names_the_variable_and_the_entry()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("http_proxy=http://p:3128|NO_PROXY=*.corp", "explain", "http://a.corp/", "http://example.com/");
        Assert.Equal(0, exit);
        Assert.Contains("DIRECT, because NO_PROXY entry *.corp", stdout, StringComparison.Ordinal);
        Assert.Contains("PROXY http://p:3128, from http_proxy", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_prints_a_version()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync(string.Empty, "--version");
        Assert.Equal(0, exit);
        Assert.StartsWith("proxynet ", stdout, StringComparison.Ordinal);
    }
}
