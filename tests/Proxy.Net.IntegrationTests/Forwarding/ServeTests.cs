using System.Net;
using System.Net.Sockets;
using System.Text;
using ProxyNet.Forwarding;
using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Resolution;
using ProxyNet.Tests.Cli;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.IntegrationTests.Forwarding;

/// <summary>
/// <c>proxynet serve</c> (the library's <see cref="ProxyServer"/>) in front of real squid, used by curl and Python's
/// urllib configured only by the lines <c>proxynet env --serve</c> prints. squid's log proves every route and login.
/// </summary>
public sealed class ServeTests : IDisposable
{
    private const string User = "alice";
    private const string Password = "p@ss w0rd";
    private readonly string _dir = Directory.CreateTempSubdirectory("serve").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Theory]
    [InlineData("basic")]
    [InlineData("digest")]
    public async Task Curl_and_python_fetch_http_and_https_through_serve_and_squid_with_the_login_in_squids_log(string scheme)
    {
        await using var squid = await SquidServer.StartAsync(login: scheme == "basic" ? SquidServer.BasicLogin(User, Password) : SquidServer.DigestLogin(User, Password));
        await using var origin = new ScriptedServer(
            async (stream, _) =>
            {
                await ScriptedServer.ReadHeadAsync(stream);
                await ScriptedServer.WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\norigin");
            },
            Second);
        await using var server = await Serve(new ProxyNetOptions { HttpProxy = squid.Url, HttpsProxy = squid.Url, Username = User, Password = Password, UseEnvironment = false });
        var environment = await EnvironmentAsync(server);

        string http = $"http://127.0.0.2:{origin.Port}/plain";
        var curl = await ExternalClients.RunAsync("curl", ["-sS", "--fail", http], environment);
        var tunnelled = await ExternalClients.RunAsync("curl", ["-sS", "--fail", "--proxytunnel", $"http://127.0.0.2:{origin.Port}/tunnel"], environment);
        var python = await ExternalClients.RunAsync("python3", ["-c", $"import urllib.request; print(urllib.request.urlopen('http://127.0.0.2:{origin.Port}/python').read().decode())"], environment);

        Assert.True(curl.ExitCode == 0 && curl.Stdout == "origin", curl.Stderr);
        Assert.True(tunnelled.ExitCode == 0 && tunnelled.Stdout == "origin", tunnelled.Stderr);
        Assert.True(python.ExitCode == 0 && python.Stdout.Trim() == "origin", python.Stderr);
        var logged = await squid.WaitForAsync($"127.0.0.2:{origin.Port}", l => l.Any(r => r.Status == "200"));
        Assert.Contains(logged, r => r.Method == "CONNECT" && r.User == User && r.Status == "200");
        Assert.Contains(squid.Connections, r => r.Url == $"{http}" && r.User == User && r.Status == "200");
        Assert.Contains(squid.Connections, r => r.Url == $"http://127.0.0.2:{origin.Port}/python" && r.User == User);
    }

    [Theory]
    [InlineData("--http1.1")]
    [InlineData("--http1.0")]
    public async Task Requests_one_after_another_share_one_client_connection(string version)
    {
        await using var squid = await SquidServer.StartAsync();
        await using var origin = new ScriptedServer(async (stream, _) => await Answer(stream), Second);
        await using var server = await Serve(new ProxyNetOptions { HttpProxy = squid.Url, UseEnvironment = false });
        var environment = await EnvironmentAsync(server);
        string url = $"http://127.0.0.2:{origin.Port}/";

        var curl = await ExternalClients.RunAsync("curl", ["-sS", "-v", version, "-H", "Connection: keep-alive", url + "1", url + "2", url + "3"], environment);

        Assert.True(curl.ExitCode == 0 && curl.Stdout == "okokok", curl.Stderr);
        Assert.Equal(2, curl.Stderr.Split("Re-using existing connection").Length - 1);
    }

    [Fact]
    public async Task A_client_without_the_token_gets_407_and_squid_sees_nothing()
    {
        await using var squid = await SquidServer.StartAsync();
        await using var server = await Serve(new ProxyNetOptions { HttpProxy = squid.Url, HttpsProxy = squid.Url, UseEnvironment = false });
        string url = $"http://127.0.0.2:{ServerProcess.FreePort()}/secret";

        var plain = await ExternalClients.RunAsync("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-x", $"http://127.0.0.1:{server.LocalEndPoint.Port}", url], new Dictionary<string, string>());
        var wrong = await ExternalClients.RunAsync("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-x", $"http://proxynet:wrong@127.0.0.1:{server.LocalEndPoint.Port}", url], new Dictionary<string, string>());
        var tunnel = await ExternalClients.RunAsync("curl", ["-s", "-v", "-p", "-x", $"http://127.0.0.1:{server.LocalEndPoint.Port}", url], new Dictionary<string, string>());

        Assert.Equal("407", plain.Stdout);
        Assert.Equal("407", wrong.Stdout);
        Assert.Contains("< HTTP/1.1 407", tunnel.Stderr, StringComparison.Ordinal);
        Assert.Contains("Proxy-Authenticate: Basic realm=\"proxynet\"", tunnel.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.2", squid.AccessLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_no_proxy_host_goes_direct_and_a_pac_answer_fails_over_from_a_dead_proxy()
    {
        await using var squid = await SquidServer.StartAsync();
        static Task Ok(System.Net.Sockets.NetworkStream stream, ScriptedServer server) => Answer(stream);
        await using var origin = new ScriptedServer(Ok, Second);
        await using var direct = new ScriptedServer(Ok, IPAddress.Parse("127.0.0.3"));
        string pac = Path.Combine(_dir, "proxy.pac");
        await File.WriteAllTextAsync(pac, $"function FindProxyForURL(url, host) {{ return 'PROXY 127.0.0.1:{Ports.Closed()}; PROXY 127.0.0.1:{squid.Port}'; }}");
        using var engine = new ProxyNet.Pac.ProxyAutoConfig();
        await using var server = await ProxyServer.StartAsync(
            ProxyResolver.Create(new ProxyNetOptions { PacUrl = pac, ExcludedDomains = { $"127.0.0.3:{direct.Port}" }, UseEnvironment = false }, engine),
            new ProxyServerOptions { LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0), Token = "t0ken-for-the-tests-only" });
        var environment = new Dictionary<string, string> { ["http_proxy"] = $"http://proxynet:t0ken-for-the-tests-only@127.0.0.1:{server.LocalEndPoint.Port}" };

        var straight = await ExternalClients.RunAsync("curl", ["-sS", "--fail", $"http://127.0.0.3:{direct.Port}/direct"], environment);
        var failover = await ExternalClients.RunAsync("curl", ["-sS", "--fail", $"http://127.0.0.2:{origin.Port}/failover"], environment);

        Assert.True(straight.ExitCode == 0 && straight.Stdout == "ok", straight.Stderr);
        Assert.True(failover.ExitCode == 0 && failover.Stdout == "ok", failover.Stderr);
        Assert.DoesNotContain("/direct", squid.AccessLog, StringComparison.Ordinal);
        Assert.Contains($"http://127.0.0.2:{origin.Port}/failover", squid.AccessLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upstream_failures_are_a_status_with_one_line_and_the_client_authorization_never_goes_upstream()
    {
        await using var recorder = new ScriptedServer(async (stream, self) =>
        {
            string head = await ScriptedServer.ReadHeadAsync(stream);
            self.Received.Enqueue(head);
            await ScriptedServer.WriteAsync(stream, "HTTP/1.1 403 Forbidden by policy\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        });
        await using var server = await Serve(new ProxyNetOptions { HttpProxy = recorder.Url, HttpsProxy = recorder.Url, UseEnvironment = false });
        var environment = await EnvironmentAsync(server);

        var refused = await ExternalClients.RunAsync("curl", ["-s", "-v", "-p", "http://127.0.0.2:9/x"], environment);
        var forwarded = await ExternalClients.RunAsync("curl", ["-s", "-i", "http://127.0.0.2:9/y"], environment);

        Assert.Contains("< HTTP/1.1 403 Forbidden", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("HTTP/1.1 403 Forbidden by policy", forwarded.Stdout, StringComparison.Ordinal);
        Assert.All(recorder.Received, head => Assert.DoesNotContain("Proxy-Authorization", head, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(recorder.Received, head => head.Contains("Via: 1.1 proxynet-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dead_upstream_is_a_502_naming_it()
    {
        int dead = Ports.Closed();
        await using var server = await Serve(new ProxyNetOptions { HttpProxy = $"http://127.0.0.1:{dead}", HttpsProxy = $"http://127.0.0.1:{dead}", UseEnvironment = false });
        var environment = await EnvironmentAsync(server);

        var plain = await ExternalClients.RunAsync("curl", ["-s", "-i", "http://127.0.0.2:9/x"], environment);
        var tunnel = await ExternalClients.RunAsync("curl", ["-s", "-v", "-p", "http://127.0.0.2:9/x"], environment);

        Assert.StartsWith("HTTP/1.1 502 Bad Gateway", plain.Stdout, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{dead}", plain.Stdout, StringComparison.Ordinal);
        Assert.Contains("< HTTP/1.1 502", tunnel.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Proxy_pac_answers_direct_for_the_bypass_list_and_this_proxy_otherwise()
    {
        await using var server = await Serve(new ProxyNetOptions { HttpProxy = "http://upstream.test:3128", ExcludedDomains = { ".corp.example", "10.0.0.0/8", "intranet:8080" }, UseEnvironment = false });

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        string script = await http.GetStringAsync($"http://127.0.0.1:{server.LocalEndPoint.Port}/proxy.pac");

        Assert.Contains("dnsDomainIs(host, \".corp.example\")", script, StringComparison.Ordinal);
        Assert.Contains("isInNet(host, \"10.0.0.0\", \"255.0.0.0\")", script, StringComparison.Ordinal);
        Assert.DoesNotContain("intranet", script, StringComparison.Ordinal);
        Assert.Contains($"return \"PROXY 127.0.0.1:{server.LocalEndPoint.Port}\";", script, StringComparison.Ordinal);
        using var pac = new ProxyNet.Pac.ProxyAutoConfig();
        var compiled = pac.Compile("serve.pac", script);
        Assert.Equal("DIRECT", compiled.FindProxyForUrl("http://a.corp.example/", "a.corp.example"));
        Assert.Equal("DIRECT", compiled.FindProxyForUrl("http://10.1.2.3/", "10.1.2.3"));
        Assert.Equal($"PROXY 127.0.0.1:{server.LocalEndPoint.Port}", compiled.FindProxyForUrl("http://example.com/", "example.com"));
    }

    [Fact]
    public async Task Proxynet_serve_prints_where_it_listens_never_the_token_and_stops_on_SIGTERM()
    {
        int port = ServerProcess.FreePort();
        string tokenFile = Path.Combine(_dir, "token");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { CliRunner.CliPath, "serve", "--listen", $"127.0.0.1:{port}", "--token-file", tokenFile })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HTTP_PROXY"] = "http://alice:s3cret-pw@127.0.0.1:9";
        using var process = System.Diagnostics.Process.Start(start)!;
        string ready = (await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)))!;
        string token = (await File.ReadAllTextAsync(tokenFile)).Trim();

        Assert.Equal($"proxynet serve: listening on 127.0.0.1:{port}; clients log in with the token in {tokenFile} (proxynet env --serve 127.0.0.1:{port} prints the variables)", ready);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenFile));
        Assert.Equal(64, token.Length);
        var (_, env, _) = await CliRunner.RunAsync(string.Empty, ["env", "--serve", $"127.0.0.1:{port}", "--token-file", tokenFile]);
        var refused = await ExternalClients.RunAsync("curl", ["-s", "-i", "http://127.0.0.2:9/x"], ExternalClients.ParseExports(env));
        Assert.StartsWith("HTTP/1.1 502", refused.Stdout, StringComparison.Ordinal);

        Kill(process.Id, "TERM");
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        string output = ready + await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        Assert.Equal(0, process.ExitCode);
        Assert.DoesNotContain(token, output, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", output, StringComparison.Ordinal);
        Assert.Contains("proxynet serve: stopping", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_refuses_to_listen_beyond_loopback_without_allow()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync(string.Empty, ["serve", "--listen", "0.0.0.0:0", "--no-client-auth"]);

        Assert.Equal(2, exit);
        Assert.Contains("--allow", stderr, StringComparison.Ordinal);
    }

    private static readonly IPAddress Second = IPAddress.Parse("127.0.0.2");

    private static async Task Answer(System.Net.Sockets.NetworkStream stream)
    {
        await ScriptedServer.ReadHeadAsync(stream);
        await ScriptedServer.WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
    }

    internal static void Kill(int pid, string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    private async Task<ProxyServer> Serve(ProxyNetOptions options)
    {
        string tokenFile = Path.Combine(_dir, "token");
        await File.WriteAllTextAsync(tokenFile, "0123456789abcdef0123456789abcdef\n");
        File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return await ProxyServer.StartAsync(ProxyResolver.Create(options), new ProxyServerOptions { LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0), Token = "0123456789abcdef0123456789abcdef" });
    }

    /// <summary>What a child process gets: the sh lines of <c>proxynet env --serve</c>, nothing else.</summary>
    private async Task<Dictionary<string, string>> EnvironmentAsync(ProxyServer server)
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync(string.Empty, ["env", "--serve", $"127.0.0.1:{server.LocalEndPoint.Port}", "--token-file", Path.Combine(_dir, "token")]);
        Assert.True(exit == 0, stderr);
        var variables = ExternalClients.ParseExports(stdout);
        Assert.Equal($"http://proxynet:0123456789abcdef0123456789abcdef@127.0.0.1:{server.LocalEndPoint.Port}", variables["https_proxy"]);
        return variables;
    }
}
