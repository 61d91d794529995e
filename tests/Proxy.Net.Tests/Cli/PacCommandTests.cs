namespace ProxyNet.Tests.Cli;

/// <summary><c>--pac</c> on resolve, explain and doctor, run as a process: its precedence, the helper calls behind an answer, and a timed load.</summary>
public sealed class PacCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("proxynet-cli-pac-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Explain_shows_the_answer_and_the_helper_calls_behind_it()
    {
        string pac = Write("""
            function FindProxyForURL(url, host) {
              if (isPlainHostName(host)) return "DIRECT";
              if (shExpMatch(host, "*.example.com")) return "PROXY a.corp:3128; DIRECT";
              return "PROXY b.corp:8080";
            }
            """);

        var (exit, stdout, stderr) = await CliRunner.RunAsync(string.Empty, "explain", "--pac", pac, "http://www.example.com/x");

        Assert.True(exit == 0, stderr);
        Assert.Contains("FindProxyForURL(\"http://www.example.com/x\", \"www.example.com\") = \"PROXY a.corp:3128; DIRECT\"", stdout, StringComparison.Ordinal);
        Assert.Contains("isPlainHostName(\"www.example.com\") = false", stdout, StringComparison.Ordinal);
        Assert.Contains("shExpMatch(\"www.example.com\", \"*.example.com\") = true", stdout, StringComparison.Ordinal);
        Assert.Contains("Decision:  PROXY http://a.corp:3128, from PAC FindProxyForURL returned \"PROXY a.corp:3128; DIRECT\"", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_loads_the_script_and_times_a_call()
    {
        string pac = Write("function FindProxyForURL(url, host) { return \"DIRECT\"; }");

        var (_, stdout, _) = await CliRunner.RunAsync(string.Empty, "doctor", "--pac", pac);

        Assert.Matches($@"\[ OK \] PAC script: {System.Text.RegularExpressions.Regex.Escape(pac)} fetched and compiled, first answer in \d+ ms .*; one more call took [\d.]+ ms", stdout);
    }

    [Fact]
    public async Task Doctor_says_when_NO_PROXY_keeps_the_URL_from_the_script_and_times_the_script_on_another_host()
    {
        string pac = Write("function FindProxyForURL(url, host) { return \"PROXY pac.corp:3128\"; }");

        var (_, stdout, _) = await CliRunner.RunAsync("NO_PROXY=.internal.corp", "doctor", "--pac", pac, "http://app.internal.corp/");

        Assert.Matches($@"\[ OK \] PAC script: app\.internal\.corp does not ask the script \(NO_PROXY entry \.internal\.corp\); {System.Text.RegularExpressions.Regex.Escape(pac)} fetched and compiled, first answer in \d+ ms \(PAC FindProxyForURL returned ""PROXY pac\.corp:3128""\); one more call took [\d.]+ ms", stdout);
    }

    [Fact]
    public async Task Doctor_warns_when_NO_PROXY_keeps_every_host_from_the_script()
    {
        string pac = Write("function FindProxyForURL(url, host) { return \"PROXY pac.corp:3128\"; }");

        var (_, stdout, _) = await CliRunner.RunAsync("NO_PROXY=*", "doctor", "--pac", pac, "http://app.internal.corp/");

        Assert.Contains($"[WARN] PAC script: {pac} is never asked: app.internal.corp does not ask the script (", stdout, StringComparison.Ordinal);
        Assert.Contains("a made-up host does not ask it either (", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_reports_a_runaway_script_in_words_and_fails()
    {
        string pac = Write("function FindProxyForURL(url, host) { while (true) {} }");

        var (exit, stdout, _) = await CliRunner.RunAsync(string.Empty, "doctor", "--pac", pac);

        Assert.Equal(1, exit);
        Assert.Contains($"[FAIL] PAC script: PAC {pac}: FindProxyForURL(\"http://doctor.invalid/\", \"doctor.invalid\") ran past the", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_with_a_missing_script_is_a_configuration_error_never_direct()
    {
        string missing = Path.Combine(_dir, "missing.pac");

        var (exit, stdout, _) = await CliRunner.RunAsync(string.Empty, "resolve", "--json", "--pac", missing, "http://example.com/");

        Assert.Equal(1, exit);
        Assert.StartsWith($"{{\"url\":\"http://example.com/\",\"error\":\"PAC {missing}: the script could not be fetched", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_script_answer_with_escape_sequences_is_printed_escaped()
    {
        string pac = Write("function FindProxyForURL(url, host) { return \"PROXY a.corp:3128; \\u001b]0;pwned\\u0007\"; }");

        var (_, resolved, _) = await CliRunner.RunAsync(string.Empty, "resolve", "--pac", pac, "http://example.com/");
        var (_, explained, _) = await CliRunner.RunAsync(string.Empty, "explain", "--pac", pac, "http://example.com/");

        Assert.DoesNotContain('\u001b', resolved + explained);
        Assert.DoesNotContain('\u0007', resolved + explained);
        Assert.Contains("\\x1b]0;pwned\\x07", resolved, StringComparison.Ordinal);
        Assert.Contains("\\x1b]0;pwned\\x07", explained, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("config", "{\"Proxy\":{\"HttpProxy\":\"http://file.corp:3128\"}}")]
    [InlineData("config", "{\"Proxy\":{\"AllProxy\":\"http://file.corp:3128\"}}")]
    [InlineData("config", "{\"Proxy\":{\"Host\":\"file.corp\",\"Port\":3128}}")]
    [InlineData("environment", "Proxy__HttpProxy=http://env.corp:3128")]
    [InlineData("environment", "Proxy__Host=env.corp|Proxy__Port=3128")]
    public async Task The_pac_flag_beats_an_explicit_proxy_of_a_lower_layer(string layer, string value)
    {
        string pac = Write("function FindProxyForURL(url, host) { return \"PROXY flag.corp:8080\"; }");
        string[] config = layer == "config" ? ["--config", WriteJson(value)] : [];

        var (exit, stdout, stderr) = await CliRunner.RunAsync(layer == "environment" ? value : string.Empty, ["resolve", "--json", "--pac", pac, .. config, "http://example.com/"]);

        Assert.True(exit == 0, stderr);
        using var line = System.Text.Json.JsonDocument.Parse(stdout);
        Assert.Equal("http://flag.corp:8080", line.RootElement.GetProperty("proxy").GetString());
        Assert.StartsWith("PAC ", line.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pac_flag_keeps_the_lower_layers_bypass_list()
    {
        string pac = Write("function FindProxyForURL(url, host) { return \"PROXY flag.corp:8080\"; }");
        string config = WriteJson("{\"Proxy\":{\"HttpProxy\":\"http://file.corp:3128\",\"ExcludedDomains\":\"example.com\"}}");

        var (exit, stdout, stderr) = await CliRunner.RunAsync(string.Empty, "resolve", "--json", "--pac", pac, "--config", config, "http://example.com/");

        Assert.True(exit == 0, stderr);
        Assert.Contains("\"proxy\":null,\"reason\":\"Proxy:ExcludedDomains entry example.com\"", stdout, StringComparison.Ordinal);
    }

    private string WriteJson(string json)
    {
        string path = Path.Combine(_dir, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    private string Write(string text)
    {
        string path = Path.Combine(_dir, $"{Guid.NewGuid():N}.pac");
        File.WriteAllText(path, text);
        return path;
    }
}
