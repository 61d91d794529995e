namespace ProxyNet.Tests.Cli;

/// <summary><c>proxynet drivers</c> run as its own process: the fragment on stdout, the reasons on stderr, no password unless asked.</summary>
public sealed class DriversCommandTests
{
    private const string Password = "hunter2-drv";

    [Fact]
    public async Task Prints_the_Snowflake_fragment_masked_and_warns_for_an_entry_it_cannot_say()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync($"HTTPS_PROXY=http://alice:{Password}@proxy.corp:3128|NO_PROXY=.corp,10.0.0.0/8", "drivers", "--driver", "snowflake", "acme.snowflakecomputing.com");

        Assert.True(exit == 0, stderr);
        Assert.Equal("USEPROXY=true;PROXYHOST=proxy.corp;PROXYPORT=3128;PROXYUSER=alice;PROXYPASSWORD=***;NONPROXYHOSTS=*://corp|*.corp|*://corp:*|*.corp:*", stdout.Trim());
        Assert.Contains("route for acme.snowflakecomputing.com: PROXY http://proxy.corp:3128 (HTTPS_PROXY)", stderr, StringComparison.Ordinal);
        Assert.Contains("warning: NO_PROXY entry 10.0.0.0/8 is an address range (CIDR)", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, stdout + stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("databricks", "adbc.proxy_options.proxy_pwd=")]
    [InlineData("odbc", "ProxyPWD=")]
    [InlineData("snowflake", "PROXYPASSWORD=")]
    public async Task Show_password_prints_it_and_only_then(string driver, string key)
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync($"HTTPS_PROXY=http://alice:{Password}@proxy.corp:3128", "drivers", "--driver", driver, "--show-password", "host.example.net");

        Assert.True(exit == 0, stderr);
        Assert.Contains($"{key}{Password}", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_route_the_driver_cannot_take_points_it_at_serve_with_the_token_masked()
    {
        string tokenFile = Path.Combine(Path.GetTempPath(), $"proxynet-token-{Guid.NewGuid():N}");
        const string Token = "0123456789abcdef0123456789abcdef";
        await File.WriteAllTextAsync(tokenFile, Token);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        try
        {
            string environment = "HTTPS_PROXY=socks5://socks.corp:1080";
            var (exit, stdout, stderr) = await CliRunner.RunAsync(environment, "drivers", "--driver", "databricks", "--serve", "127.0.0.1:3999", "--token-file", tokenFile, "adb-1.azuredatabricks.net");

            Assert.True(exit == 0, stderr);
            Assert.Equal("adbc.proxy_options.use_proxy=true;adbc.proxy_options.proxy_host=127.0.0.1;adbc.proxy_options.proxy_port=3999;adbc.proxy_options.proxy_auth=true;adbc.proxy_options.proxy_uid=proxynet;adbc.proxy_options.proxy_pwd=***", stdout.Trim());
            Assert.Contains("use proxynet serve: the proxy socks5://socks.corp:1080 is a SOCKS proxy", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, stdout + stderr, StringComparison.Ordinal);

            (exit, stdout, _) = await CliRunner.RunAsync(environment, "drivers", "--driver", "odbc", "--token-file", tokenFile, "--show-password", "adb-1.azuredatabricks.net");
            Assert.Equal(0, exit);
            Assert.Equal($"UseProxy=1;ProxyHost=127.0.0.1;ProxyPort=3128;ProxyUID=proxynet;ProxyPWD={Token}", stdout.Trim());
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public async Task Bad_usage_exits_2_and_a_broken_configuration_exits_1_without_the_password()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync(string.Empty, "drivers", "--driver", "oracle", "host.example.net");
        Assert.Equal(2, exit);
        Assert.Contains("oracle", stderr, StringComparison.Ordinal);

        (exit, _, stderr) = await CliRunner.RunAsync(string.Empty, "drivers", "host.example.net");
        Assert.Equal(2, exit);

        (exit, var stdout, stderr) = await CliRunner.RunAsync($"HTTPS_PROXY=http://alice:{Password}@proxy.corp:99999", "drivers", "--driver", "snowflake", "host.example.net");
        Assert.Equal(1, exit);
        Assert.Contains("HTTPS_PROXY", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, stdout + stderr, StringComparison.Ordinal);
    }
}
