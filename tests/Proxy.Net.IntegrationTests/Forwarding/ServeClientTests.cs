using System.Net;
using ProxyNet.Forwarding;
using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Resolution;
using ProxyNet.Tests.Cli;

namespace ProxyNet.IntegrationTests.Forwarding;

/// <summary>
/// The client matrix of <c>proxynet serve</c>: curl, Python's urllib, git (<c>ls-remote</c>, dumb HTTP), Node 20
/// (its <c>http</c>/<c>tls</c> modules, the proxy and CA taken from the environment as an env-configured agent
/// does) and R (<c>download.file</c> with libcurl), each given only the lines <c>proxynet env --serve</c> prints.
/// Each fetches an http URL and an https one (CONNECT) through serve and squid with a Basic and a Digest login, and a
/// host in serve's NO_PROXY goes direct: squid's log names the user for the first two and has nothing for the third.
/// </summary>
public sealed class ServeClientTests : IDisposable
{
    private const string User = "alice";
    private const string Password = "p@ss w0rd";
    private const string Token = "0123456789abcdef0123456789abcdef";
    private const string Hello = "hello from the file origin";
    private static readonly IPAddress Proxied = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Direct = IPAddress.Parse("127.0.0.3");
    private readonly string _dir = Directory.CreateTempSubdirectory("serve-clients").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Theory]
    [InlineData("curl", "basic")]
    [InlineData("curl", "digest")]
    [InlineData("python3", "basic")]
    [InlineData("python3", "digest")]
    [InlineData("git", "basic")]
    [InlineData("git", "digest")]
    [InlineData("node", "basic")]
    [InlineData("node", "digest")]
    [InlineData("Rscript", "basic")]
    [InlineData("Rscript", "digest")]
    public async Task A_client_given_only_proxynet_env_fetches_http_and_https_through_serve_and_squid_and_a_no_proxy_host_directly(string client, string login)
    {
        using var ca = new TestCertificates();
        using var certificate = ca.IssueServer(addresses: [Proxied, Direct]);
        string commit = await SiteAsync();
        await using var proxied = await FileOrigin.StartAsync(Proxied, Path.Combine(_dir, "site"), certificate);
        await using var direct = await FileOrigin.StartAsync(Direct, Path.Combine(_dir, "site"), certificate);
        await using var squid = await SquidServer.StartAsync(login: login == "basic" ? SquidServer.BasicLogin(User, Password) : SquidServer.DigestLogin(User, Password));
        await using var server = await ProxyServer.StartAsync(
            ProxyResolver.Create(new ProxyNetOptions { HttpProxy = squid.Url, HttpsProxy = squid.Url, Username = User, Password = Password, ExcludedDomains = { Direct.ToString() }, UseEnvironment = false }),
            new ProxyServerOptions { LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0), Token = Token });
        var environment = await EnvironmentAsync(server, ca);

        foreach (string origin in new[] { proxied.HttpUrl, proxied.HttpsUrl, direct.HttpUrl, direct.HttpsUrl })
        {
            var (exit, stdout, stderr) = await FetchAsync(client, origin, environment);

            string expected = client == "git" ? $"{commit}\trefs/heads/main" : Hello;
            Assert.True(exit == 0 && stdout.Contains(expected, StringComparison.Ordinal), $"{client} {origin} exited {exit}: {stdout}{stderr}");
            Assert.DoesNotContain(Token, stderr, StringComparison.Ordinal);
        }

        await squid.WaitForAsync(proxied.Authority, l => l.Any(r => r.Status == "200"));
        var logged = squid.Connections;
        string log = string.Join('\n', logged);
        Assert.True(logged.Any(r => r.Method == "GET" && r.Url.StartsWith(proxied.HttpUrl + "/", StringComparison.Ordinal) && r.User == User && r.Status == "200"), log);
        Assert.True(logged.Any(r => r.Method == "CONNECT" && r.Url == proxied.Authority && r.User == User && r.Status == "200"), log);
        Assert.DoesNotContain(Direct.ToString(), squid.AccessLog, StringComparison.Ordinal);
    }

    /// <summary>One fetch of the client's resource at <paramref name="origin"/>: the repository for git, the text file otherwise.</summary>
    private static Task<(int ExitCode, string Stdout, string Stderr)> FetchAsync(string client, string origin, IReadOnlyDictionary<string, string> environment) => client switch
    {
        "git" => ExternalClients.RunAsync("git", ["ls-remote", $"{origin}/repo.git"], environment),
        "curl" => ExternalClients.RunAsync("curl", ["-sS", "--fail", $"{origin}/hello.txt"], environment),
        "python3" => ExternalClients.RunAsync("python3", ["-c", "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())", $"{origin}/hello.txt"], environment),
        "node" => ExternalClients.RunAsync("node", ["-e", NodeClient.Script, $"{origin}/hello.txt"], environment),
        _ => ExternalClients.RunAsync("Rscript", ["-e", "f <- tempfile(); download.file(commandArgs(TRUE)[1], f, method = 'libcurl', quiet = TRUE); cat(readLines(f, warn = FALSE), sep = '\\n')", $"{origin}/hello.txt"], environment),
    };

    /// <summary>The origins' folder: hello.txt and a bare repository with one commit on main, ready for dumb HTTP; returns the commit.</summary>
    private async Task<string> SiteAsync()
    {
        string site = Path.Combine(_dir, "site");
        string work = Path.Combine(_dir, "work");
        Directory.CreateDirectory(site);
        await File.WriteAllTextAsync(Path.Combine(site, "hello.txt"), Hello + "\n");
        var none = new Dictionary<string, string>();
        await GitAsync(["init", "-q", "-b", "main", work], none);
        await GitAsync(["-C", work, "-c", "user.name=proxynet", "-c", "user.email=proxynet@example.invalid", "commit", "-q", "--allow-empty", "-m", "first"], none);
        await GitAsync(["clone", "-q", "--bare", work, Path.Combine(site, "repo.git")], none);
        await GitAsync(["-C", Path.Combine(site, "repo.git"), "update-server-info"], none);
        return (await GitAsync(["-C", work, "rev-parse", "HEAD"], none)).Trim();
    }

    private static async Task<string> GitAsync(string[] args, Dictionary<string, string> environment)
    {
        var (exit, stdout, stderr) = await ExternalClients.RunAsync("git", args, environment);
        Assert.True(exit == 0, $"git {string.Join(' ', args)}: {stderr}");
        return stdout;
    }

    /// <summary>What a child process gets: the sh lines of <c>proxynet env --serve</c> with the test CA configured, nothing else.</summary>
    private async Task<Dictionary<string, string>> EnvironmentAsync(ProxyServer server, TestCertificates ca)
    {
        string tokenFile = Path.Combine(_dir, "token");
        await File.WriteAllTextAsync(tokenFile, Token + "\n");
        File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string caFile = Path.Combine(_dir, "ca.pem");
        await File.WriteAllTextAsync(caFile, ca.AuthorityPem);
        string config = Path.Combine(_dir, "proxynet.json");
        await File.WriteAllTextAsync(config, $$"""{ "Proxy": { "Tls": { "OriginCaCertificates": [ "{{caFile}}" ] } } }""");
        var (exit, stdout, stderr) = await CliRunner.RunAsync($"XDG_RUNTIME_DIR={_dir}", ["env", "--serve", $"127.0.0.1:{server.LocalEndPoint.Port}", "--token-file", tokenFile, "--config", config]);
        Assert.True(exit == 0, stderr);
        var variables = ExternalClients.ParseExports(stdout);
        Assert.Equal($"http://proxynet:{Token}@127.0.0.1:{server.LocalEndPoint.Port}", variables["https_proxy"]);
        Assert.Equal(Path.Combine(_dir, "proxynet", "ca-bundle.pem"), variables["GIT_SSL_CAINFO"]);
        return variables;
    }
}
