namespace ProxyNet.Tests.Cli;

/// <summary>
/// What a curl user's fingers meet in <c>proxynet get</c> before anything is sent: the curl flags in the help, and
/// for a curl flag proxynet lacks one sentence with what to type instead, and the usage exit code.
/// </summary>
public sealed class CurlCommandLineTests
{
    [Fact]
    public async Task Get_help_lists_the_curl_flags()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync(string.Empty, "get", "--help");
        Assert.Equal(0, exit);
        foreach (string flag in new[]
        {
            "-x, --proxy", "-k, --insecure", "-U, --proxy-user", "-H, --header", "-I, --head", "-i, --include", "-L, --location",
            "-s, --silent", "-S, --show-error", "-f, --fail", "-X, --request", "-u, --user", "-p, --proxytunnel", "-m, --max-time",
            "-o, --output", "-O, --remote-name", "--noproxy", "--cacert", "--proxy-cacert", "--proxy-insecure", "--max-redirs",
        })
        {
            Assert.Contains(flag, stdout, StringComparison.Ordinal);
        }

        Assert.Contains("22 instead with -f", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-d", "proxynet put FILE URL", "-d", "a=b")]
    [InlineData("--data", "proxynet put FILE URL", "--data=a=b")]
    [InlineData("-d", "proxynet put FILE URL", "-fsSLd", "a=b")]
    [InlineData("--connect-timeout", "-m/--timeout SECONDS", "--connect-timeout", "5")]
    [InlineData("--compressed", "-H 'Accept-Encoding: gzip'", "--compressed")]
    [InlineData("-A", "-H 'User-Agent: VALUE'", "-A", "agent/1")]
    [InlineData("--socks5-hostname", "-x socks5h://HOST:PORT", "--socks5-hostname", "127.0.0.1:1080")]
    [InlineData("--proxy-negotiate", "-U : logs in as the current user", "--proxy-negotiate")]
    [InlineData("-T", "proxynet put FILE URL", "-T", "file.txt")]
    public async Task A_curl_flag_we_lack_says_what_to_type_instead_and_exits_2(string flag, string instead, params string[] args)
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync(string.Empty, ["get", .. args, "http://127.0.0.1:1/"]);
        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.StartsWith($"proxynet get: curl's {flag} is not supported; did you mean ", stderr, StringComparison.Ordinal);
        Assert.Contains(instead, stderr, StringComparison.Ordinal);
        Assert.Contains("Run 'proxynet get --help' for usage.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_curl_flag_without_an_equivalent_says_so()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync(string.Empty, "get", "--http2", "http://127.0.0.1:1/");
        Assert.Equal(2, exit);
        Assert.StartsWith("proxynet get: curl's --http2 is not supported (proxynet has no equivalent)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_answers_curl_flags_in_its_own_name()
    {
        string file = Path.GetTempFileName();
        try
        {
            var (exit, _, stderr) = await CliRunner.RunAsync(string.Empty, "put", "--data-binary", "@x", file, "http://127.0.0.1:1/");
            Assert.Equal(2, exit);
            Assert.StartsWith("proxynet put: curl's --data-binary is not supported; did you mean ", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("-U", "alice")]
    [InlineData("-u", "alice")]
    [InlineData("-H", "Authorization Bearer hunter2-token")]
    [InlineData("-H", "Proxy-Authorization: Basic hunter2-token")]
    [InlineData("-X", "GE T")]
    [InlineData("--max-redirs", "-1")]
    public async Task Bad_values_of_curl_flags_are_usage_errors_that_echo_no_secret(string flag, string value)
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync(string.Empty, "get", flag, value, "http://127.0.0.1:1/");
        Assert.Equal(2, exit);
        Assert.Contains(flag, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dash_O_names_no_file_for_a_URL_that_ends_in_a_slash()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync(string.Empty, "get", "-O", "http://127.0.0.1:1/dir/");
        Assert.Equal(2, exit);
        Assert.Contains("-O: the URL http://127.0.0.1:1/dir/ names no file", stderr, StringComparison.Ordinal);
    }
}
