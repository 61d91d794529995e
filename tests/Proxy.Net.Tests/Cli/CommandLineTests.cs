namespace ProxyNet.Tests.Cli;

/// <summary>What System.CommandLine brings: per-command help, --opt=value, bundled flags, response files, completions, errors that name the argument.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("get")]
    [InlineData("put")]
    [InlineData("doctor")]
    [InlineData("resolve")]
    public async Task Every_command_has_help_that_states_the_precedence(string command)
    {
        var (exit, stdout, _) = await CliRunner.RunAsync(string.Empty, command, "--help");
        Assert.Equal(0, exit);
        Assert.Contains($"proxynet {command}", stdout, StringComparison.Ordinal);
        Assert.Contains("command-line flags, then --config FILE", stdout, StringComparison.Ordinal);
        Assert.Contains("then Proxy__* environment variables, then the standard variables", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_help_names_every_json_field_a_PAC_decision_has()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync(string.Empty, "resolve", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("{\"url\",\"proxy\",\"candidates\",\"reason\"}", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Equals_syntax_and_response_files_parse_like_separate_words()
    {
        string file = Path.Combine(Path.GetTempPath(), $"proxynet-{Guid.NewGuid():N}.json");
        string rsp = Path.Combine(Path.GetTempPath(), $"proxynet-{Guid.NewGuid():N}.rsp");
        await File.WriteAllTextAsync(file, """{"Proxy":{"HttpProxy":"http://conf:1"}}""");
        await File.WriteAllTextAsync(rsp, $"--json\n--config\n{file}\n");
        try
        {
            var (exit, stdout, stderr) = await CliRunner.RunAsync(string.Empty, "resolve", $"--config={file}", "--json", "http://example.com/");
            Assert.True(exit == 0, stderr);
            Assert.Contains("\"proxy\":\"http://conf:1\"", stdout, StringComparison.Ordinal);
            (exit, stdout, stderr) = await CliRunner.RunAsync(string.Empty, "resolve", $"@{rsp}", "http://example.com/");
            Assert.True(exit == 0, stderr);
            Assert.Contains("\"proxy\":\"http://conf:1\"", stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
            File.Delete(rsp);
        }
    }

    [Fact]
    public async Task Errors_name_the_argument_and_exit_2()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync(string.Empty, "get", "http://example.com/", "--timeout");
        Assert.Equal(2, exit);
        Assert.StartsWith("proxynet: ", stderr, StringComparison.Ordinal);
        Assert.Contains("'--timeout'", stderr, StringComparison.Ordinal);
        Assert.Contains("proxynet get --help", stderr, StringComparison.Ordinal);
        (exit, _, stderr) = await CliRunner.RunAsync(string.Empty, "get", "http://example.com/", "--frobnicate");
        Assert.Equal(2, exit);
        Assert.Contains("'--frobnicate'", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bash", "complete -o default -F _proxynet_complete proxynet")]
    [InlineData("zsh", "compdef _proxynet_complete proxynet")]
    [InlineData("pwsh", "Register-ArgumentCompleter -Native -CommandName proxynet")]
    public async Task Completion_prints_a_script_for_each_shell(string shell, string expected)
    {
        var (exit, stdout, _) = await CliRunner.RunAsync(string.Empty, "completion", shell);
        Assert.Equal(0, exit);
        Assert.Contains(expected, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_completion_scripts_ask_proxynet_which_answers_with_the_commands_flags()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync(string.Empty, "[suggest:9]", "get --ins");
        Assert.Equal(0, exit);
        Assert.Equal("--insecure", stdout.Trim());
        (_, stdout, _) = await CliRunner.RunAsync(string.Empty, "[suggest:0]", string.Empty);
        Assert.Contains("doctor", stdout.Split('\n').Select(l => l.Trim()));
    }

    [Fact]
    public async Task Bundled_short_flags_parse()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync(string.Empty, "get", "-vo", "/dev/null", "http://127.0.0.1:1/");
        Assert.Equal(4, exit);
        Assert.Contains("* route: DIRECT", stderr, StringComparison.Ordinal);
    }
}
