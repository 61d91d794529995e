using System.Security.Cryptography;
using ProxyNet.IntegrationTests.Routing;
using ProxyNet.IntegrationTests.Servers;

namespace ProxyNet.IntegrationTests.Cli;

/// <summary><c>proxynet get</c> run as its own process against real squid, as an operator would.</summary>
[Collection(RealProxiesCollection.Name)]
public sealed class GetCommandTests(RealProxies servers) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("proxynet-get-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Downloads_through_squid_with_credentials_from_the_environment()
    {
        string path = Clients.NewPath();
        string output = Path.Combine(_dir, "file");
        string proxy = $"http://{RealProxies.User}:{Uri.EscapeDataString(RealProxies.Password)}@127.0.0.1:{servers.AuthSquid.Port}";
        var (exit, stdout, stderr) = await RunAsync($"HTTP_PROXY={proxy}", "get", $"{servers.Origin.IpUrl}{path}", "-o", output, "-v");
        Assert.True(exit == 0, stderr);
        Assert.Equal("hello from origin", await File.ReadAllTextAsync(output));
        Assert.Contains($"route: PROXY http://127.0.0.1:{servers.AuthSquid.Port} (HTTP_PROXY)", stderr, StringComparison.Ordinal);
        // squid's native log: "... GET URL USER HIER_DIRECT/..." once the 407 challenge was answered.
        await LogFile.WaitForLineAsync(() => servers.AuthSquid.AccessLog, $"{path} {RealProxies.User} HIER_DIRECT");
        Assert.DoesNotContain(RealProxies.Password, stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(RealProxies.Password), stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_NO_PROXY_squid_sees_nothing()
    {
        string path = Clients.NewPath();
        string output = Path.Combine(_dir, "file");
        var (exit, _, stderr) = await RunAsync($"HTTP_PROXY=http://127.0.0.1:{servers.AuthSquid.Port}|NO_PROXY=127.0.0.1", "get", $"{servers.Origin.IpUrl}{path}", "-o", output, "-v");
        Assert.True(exit == 0, stderr);
        Assert.Contains("route: DIRECT (NO_PROXY entry 127.0.0.1)", stderr, StringComparison.Ordinal);
        await LogFile.AssertNoLineAsync(() => servers.AuthSquid.AccessLog, path);
    }

    [Fact]
    public async Task A_wrong_password_exits_non_zero_with_one_line_that_hides_it()
    {
        string output = Path.Combine(_dir, "file");
        await File.WriteAllTextAsync(output, "keep me");
        var (exit, stdout, stderr) = await RunAsync($"HTTP_PROXY=http://{RealProxies.User}:wrong-hunter2@127.0.0.1:{servers.AuthSquid.Port}", "get", $"{servers.Origin.IpUrl}/hello", "-o", output);
        Assert.NotEqual(0, exit);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("407", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", stdout + stderr, StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(output));
        Assert.False(File.Exists(output + ".part"));
    }

    [Theory]
    [InlineData("refused")]
    [InlineData("tls")]
    [InlineData("http-error")]
    public async Task Failures_exit_non_zero_with_a_one_line_reason(string kind)
    {
        var (environment, url, expected) = kind switch
        {
            "refused" => ($"HTTP_PROXY=http://127.0.0.1:{ServerProcess.FreePort()}", $"{servers.Origin.IpUrl}/hello", "(HTTP_PROXY) refused the connection: nothing listens on port"),
            "tls" => ($"HTTPS_PROXY={servers.Squid.Url}", $"{servers.TlsOrigin.Url}/", "TLS"),
            _ => ($"HTTP_PROXY={servers.Squid.Url}", $"{servers.Origin.IpUrl}/missing", "HTTP 404"),
        };
        var (exit, _, stderr) = await RunAsync(environment, "get", url, "-o", Path.Combine(_dir, "out"));
        Assert.NotEqual(0, exit);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ca_file_trusts_a_private_origin_CA()
    {
        string ca = Path.Combine(_dir, "ca.pem");
        await File.WriteAllTextAsync(ca, servers.Certificates.AuthorityPem);
        string output = Path.Combine(_dir, "tls");
        string connect = $"CONNECT 127.0.0.1:{servers.TlsOrigin.Port}";
        int before = LogFile.Count(servers.Squid.AccessLog, connect);
        var (exit, _, stderr) = await RunAsync($"HTTPS_PROXY={servers.Squid.Url}", "get", $"{servers.TlsOrigin.Url}/", "-o", output, "--ca-file", ca);
        Assert.True(exit == 0, stderr);
        Assert.Equal("hello over tls", await File.ReadAllTextAsync(output));
        await LogFile.WaitForNewLineAsync(() => servers.Squid.AccessLog, connect, before);
    }

    [Fact]
    public async Task A_large_body_is_streamed_to_the_file_intact()
    {
        byte[] data = RandomNumberGenerator.GetBytes(8 << 20);
        string path = Clients.NewPath();
        servers.Origin.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath(path))
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithBody(data));
        string output = Path.Combine(_dir, "big");
        var (exit, _, stderr) = await RunAsync($"HTTP_PROXY={servers.Squid.Url}", "get", $"{servers.Origin.IpUrl}{path}", "-o", output);
        Assert.True(exit == 0, stderr);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(await File.ReadAllBytesAsync(output)));
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"GET {servers.Origin.IpUrl}{path}");
    }

    internal static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string environment, params string[] args) =>
        ProxyNet.Tests.Cli.CliRunner.RunAsync(environment, args);
}
