using System.Net;
using ProxyNet.Forwarding;
using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Resolution;
using ProxyNet.Tests.Cli;

namespace ProxyNet.IntegrationTests.Forwarding;

/// <summary>
/// <c>proxynet doctor</c>, run as a process with the variables <c>proxynet env --serve</c> printed, knows a running
/// serve when the proxy variables point at one: it says so, whether serve takes the token, and checks through it to
/// squid. The token never appears in its output.
/// </summary>
public sealed class ServeDoctorTests : IDisposable
{
    private const string User = "alice";
    private const string Password = "p@ss w0rd";
    private const string Token = "0123456789abcdef0123456789abcdef";
    private readonly string _dir = Directory.CreateTempSubdirectory("serve-doctor").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Theory]
    [InlineData("right", 0, "[ OK ]", "token in the proxy URL: accepted")]
    [InlineData("wrong", 1, "[FAIL]", "token in the proxy URL: refused")]
    [InlineData("none", 1, "[FAIL]", "no token given")]
    public async Task Doctor_says_the_proxy_is_proxynet_serve_and_whether_the_token_is_accepted(string token, int exitCode, string label, string verdict)
    {
        await using var squid = await SquidServer.StartAsync(User, Password);
        using var ca = new TestCertificates();
        using var certificate = ca.IssueServer(addresses: [IPAddress.Parse("127.0.0.2")]);
        string site = Directory.CreateDirectory(Path.Combine(_dir, "site")).FullName;
        await File.WriteAllTextAsync(Path.Combine(site, "hello.txt"), "hello doctor\n");
        await using var origin = await FileOrigin.StartAsync(IPAddress.Parse("127.0.0.2"), site, certificate);
        await using var server = await ProxyServer.StartAsync(
            ProxyResolver.Create(new ProxyNetOptions { HttpProxy = squid.Url, HttpsProxy = squid.Url, Username = User, Password = Password, UseEnvironment = false }),
            new ProxyServerOptions { LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0), Token = Token });
        var variables = await EnvironmentAsync(server.LocalEndPoint.Port);
        string proxy = token switch
        {
            "right" => variables["http_proxy"],
            "wrong" => variables["http_proxy"].Replace(Token, "not-the-token", StringComparison.Ordinal),
            _ => $"http://127.0.0.1:{server.LocalEndPoint.Port}",
        };
        string url = $"{origin.HttpUrl}/hello.txt";

        var (exit, stdout, stderr) = await CliRunner.RunAsync($"http_proxy={proxy}|https_proxy={proxy}|no_proxy={variables["no_proxy"]}", "doctor", url);

        Assert.True(exit == exitCode, stdout + stderr);
        Assert.Contains($"{label} proxy http://127.0.0.1:{server.LocalEndPoint.Port}: is proxynet serve (proxynet-", stdout, StringComparison.Ordinal);
        Assert.True(stdout.Contains(verdict, StringComparison.Ordinal), stdout);
        Assert.DoesNotContain(Token, stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-token", stdout + stderr, StringComparison.Ordinal);
        if (token == "right")
        {
            Assert.Contains($"[ OK ] request GET {url}: answered 200 OK", stdout, StringComparison.Ordinal);
            var logged = await squid.WaitForAsync(url, l => l.Count > 0);
            Assert.Contains(logged, r => r.User == User && r.Status == "200");
        }
        else
        {
            Assert.DoesNotContain("127.0.0.2", squid.AccessLog, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Doctor_says_nothing_of_serve_for_a_proxy_that_is_not_serve()
    {
        await using var squid = await SquidServer.StartAsync();

        var (_, stdout, stderr) = await CliRunner.RunAsync($"http_proxy={squid.Url}|https_proxy={squid.Url}", "doctor");

        Assert.Contains($"proxy {squid.Url}: accepts a TCP connection", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("proxynet serve", stdout + stderr, StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, string>> EnvironmentAsync(int port)
    {
        string tokenFile = Path.Combine(_dir, "token");
        await File.WriteAllTextAsync(tokenFile, Token + "\n");
        File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var (exit, stdout, stderr) = await CliRunner.RunAsync(string.Empty, ["env", "--serve", $"127.0.0.1:{port}", "--token-file", tokenFile]);
        Assert.True(exit == 0, stderr);
        return ExternalClients.ParseExports(stdout);
    }
}
