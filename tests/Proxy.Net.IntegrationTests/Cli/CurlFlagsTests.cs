using ProxyNet.IntegrationTests.Routing;
using ProxyNet.IntegrationTests.Servers;

namespace ProxyNet.IntegrationTests.Cli;

/// <summary>
/// <c>proxynet get</c> with the flags a curl user types (issue 32, item 5), run as a process against the real squid
/// and a WireMock origin: squid's access log proves the route, the origin's log what it received.
/// </summary>
[Collection(RealProxiesCollection.Name)]
public sealed class CurlFlagsTests(RealProxies servers) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("proxynet-curl-").FullName;

    private string Squid => $"http://127.0.0.1:{servers.Squid.Port}";

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Dash_x_routes_through_the_named_proxy_over_the_environment()
    {
        string path = Clients.NewPath();
        string unused = $"http://127.0.0.1:{ServerProcess.FreePort()}";
        var (exit, stdout, stderr) = await RunAsync($"HTTP_PROXY={unused}", "get", "-x", Squid, $"{servers.Origin.IpUrl}{path}");
        Assert.True(exit == 0, stderr);
        Assert.Equal("hello from origin", stdout);
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"GET {servers.Origin.IpUrl}{path}");
    }

    [Fact]
    public async Task Dash_U_logs_in_to_squid_and_its_password_is_never_printed()
    {
        string path = Clients.NewPath();
        string proxy = $"http://127.0.0.1:{servers.AuthSquid.Port}";
        var (exit, stdout, stderr) = await RunAsync(string.Empty, "get", "-v", "-x", proxy, "-U", $"{RealProxies.User}:{RealProxies.Password}", $"{servers.Origin.IpUrl}{path}");
        Assert.True(exit == 0, stderr);
        Assert.Equal("hello from origin", stdout);
        await LogFile.WaitForLineAsync(() => servers.AuthSquid.AccessLog, $"{path} {RealProxies.User} HIER_DIRECT");
        AssertNoPassword(RealProxies.Password, stdout + stderr);

        // A wrong one fails with the 407 and is not printed either, not even in -v's lines.
        (exit, stdout, stderr) = await RunAsync(string.Empty, "get", "-v", "-x", proxy, "-U", $"{RealProxies.User}:wrong-hunter2", $"{servers.Origin.IpUrl}{Clients.NewPath()}");
        Assert.Equal(4, exit);
        Assert.Contains("407", stderr, StringComparison.Ordinal);
        AssertNoPassword("hunter2", stdout + stderr);
    }

    [Fact]
    public async Task A_password_in_the_dash_x_URL_is_used_and_never_printed()
    {
        string path = Clients.NewPath();
        string proxy = $"http://{RealProxies.User}:{Uri.EscapeDataString(RealProxies.Password)}@127.0.0.1:{servers.AuthSquid.Port}";
        var (exit, stdout, stderr) = await RunAsync(string.Empty, "get", "-v", "-x", proxy, $"{servers.Origin.IpUrl}{path}");
        Assert.True(exit == 0, stderr);
        await LogFile.WaitForLineAsync(() => servers.AuthSquid.AccessLog, $"{path} {RealProxies.User} HIER_DIRECT");
        AssertNoPassword(RealProxies.Password, stdout + stderr);

        // Unreachable origin: the failure line names the proxy without its password.
        (exit, stdout, stderr) = await RunAsync(string.Empty, "get", "-v", "-x", proxy.Replace($":{servers.AuthSquid.Port}", $":{ServerProcess.FreePort()}", StringComparison.Ordinal), $"{servers.Origin.IpUrl}{path}");
        Assert.Equal(4, exit);
        AssertNoPassword(RealProxies.Password, stdout + stderr);
    }

    [Fact]
    public async Task Dash_H_sends_each_header_to_the_origin_and_dash_v_shows_it_with_secrets_masked()
    {
        string path = Clients.NewPath();
        var (exit, _, stderr) = await RunAsync(
            string.Empty, "get", "-v", "-x", Squid, "-H", "X-Curl-Marker: one", "-H", "X-Second: two", "-H", "Authorization: Bearer s3cret-token", $"{servers.Origin.IpUrl}{path}");
        Assert.True(exit == 0, stderr);
        var received = Received(path).Single();
        Assert.Equal("one", Header(received, "X-Curl-Marker"));
        Assert.Equal("two", Header(received, "X-Second"));
        Assert.Equal("Bearer s3cret-token", Header(received, "Authorization"));
        Assert.Contains("> X-Curl-Marker: one", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-token", stderr, StringComparison.Ordinal);
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"GET {servers.Origin.IpUrl}{path}");
    }

    [Fact]
    public async Task Dash_u_sends_Basic_to_the_origin_and_is_never_printed()
    {
        string path = Clients.NewPath();
        var (exit, stdout, stderr) = await RunAsync(string.Empty, "get", "-v", "-x", Squid, "-u", "bob:origin-hunter2", $"{servers.Origin.IpUrl}{path}");
        Assert.True(exit == 0, stderr);
        string expected = "Basic " + Convert.ToBase64String("bob:origin-hunter2"u8.ToArray());
        Assert.Equal(expected, Header(Received(path).Single(), "Authorization"));
        AssertNoPassword("origin-hunter2", stdout + stderr);
        Assert.DoesNotContain(expected[6..], stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dash_I_sends_HEAD_and_prints_the_status_line_and_headers()
    {
        string path = Clients.NewPath();
        var (exit, stdout, stderr) = await RunAsync(string.Empty, "get", "-I", "-x", Squid, $"{servers.Origin.IpUrl}{path}");
        Assert.True(exit == 0, stderr);
        Assert.Equal("HEAD", Received(path).Single().Method);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", stdout, StringComparison.Ordinal);
        Assert.Contains("\r\nVia: ", stdout, StringComparison.Ordinal); // squid's, among the headers
        Assert.EndsWith("\r\n\r\n", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("hello from origin", stdout, StringComparison.Ordinal);
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"HEAD {servers.Origin.IpUrl}{path}");
    }

    [Fact]
    public async Task Dash_i_prints_the_head_before_the_body_and_dash_X_sets_the_method()
    {
        string path = Clients.NewPath();
        var (exit, stdout, stderr) = await RunAsync(string.Empty, "get", "-i", "-X", "DELETE", "-x", Squid, $"{servers.Origin.IpUrl}{path}");
        Assert.True(exit == 0, stderr);
        Assert.Equal("DELETE", Received(path).Single().Method);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", stdout, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nhello from origin", stdout, StringComparison.Ordinal);
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"DELETE {servers.Origin.IpUrl}{path}");
    }

    [Fact]
    public async Task Dash_f_exits_22_on_404_as_curl_and_without_it_the_contract_says_3()
    {
        string path = $"/missing-{Guid.NewGuid():N}";
        string output = Path.Combine(_dir, "out");
        var (exit, stdout, stderr) = await RunAsync(string.Empty, "get", "-f", "-x", Squid, $"{servers.Origin.IpUrl}{path}", "-o", output);
        Assert.Equal(22, exit);
        Assert.Contains("HTTP 404", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
        Assert.False(File.Exists(output));
        (exit, _, stderr) = await RunAsync(string.Empty, "get", "-x", Squid, $"{servers.Origin.IpUrl}{path}");
        Assert.Equal(3, exit);
        Assert.Single(stderr.Trim().Split('\n'));
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"GET {servers.Origin.IpUrl}{path}");
    }

    [Fact]
    public async Task Dash_s_quiets_warnings_and_the_failure_line_and_dash_S_brings_the_failure_back()
    {
        string path = $"/missing-{Guid.NewGuid():N}";
        string environment = $"NO_PROXY=10.0.0.0/33";
        var (exit, _, stderr) = await RunAsync(environment, "get", "-x", Squid, $"{servers.Origin.IpUrl}{path}");
        Assert.Equal(3, exit);
        Assert.Contains("warning", stderr, StringComparison.Ordinal);
        Assert.Contains("HTTP 404", stderr, StringComparison.Ordinal);

        (exit, _, stderr) = await RunAsync(environment, "get", "-s", "-x", Squid, $"{servers.Origin.IpUrl}{path}");
        Assert.Equal(3, exit);
        Assert.Equal(string.Empty, stderr);

        (exit, _, stderr) = await RunAsync(environment, "get", "-fsS", "-x", Squid, $"{servers.Origin.IpUrl}{path}");
        Assert.Equal(22, exit);
        Assert.DoesNotContain("warning", stderr, StringComparison.Ordinal);
        Assert.Contains("HTTP 404", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dash_O_writes_the_file_named_by_the_URL_in_the_current_folder()
    {
        string path = Clients.NewPath();
        var (exit, stdout, stderr) = await ProxyNet.Tests.Cli.CliRunner.RunInAsync(_dir, string.Empty, "get", "-O", "-x", Squid, $"{servers.Origin.IpUrl}{path}");
        Assert.True(exit == 0, stderr);
        Assert.Empty(stdout);
        Assert.Equal("hello from origin", await File.ReadAllTextAsync(Path.Combine(_dir, path.TrimStart('/'))));
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"GET {servers.Origin.IpUrl}{path}");
    }

    [Fact]
    public async Task Dash_p_reaches_an_http_origin_through_squid_by_CONNECT()
    {
        string path = Clients.NewPath();
        string connect = $"CONNECT 127.0.0.1:{servers.Origin.Port}";
        int before = LogFile.Count(servers.Squid.AccessLog, connect);
        var (exit, stdout, stderr) = await RunAsync(string.Empty, "get", "-p", "-x", Squid, $"{servers.Origin.IpUrl}{path}");
        Assert.True(exit == 0, stderr);
        Assert.Equal("hello from origin", stdout);
        await LogFile.WaitForNewLineAsync(() => servers.Squid.AccessLog, connect, before);
        Assert.DoesNotContain(path, servers.Squid.AccessLog, StringComparison.Ordinal);
    }

    internal static void AssertNoPassword(string password, string output)
    {
        Assert.DoesNotContain(password, output, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(password), output, StringComparison.Ordinal);
    }

    private List<WireMock.IRequestMessage> Received(string path) =>
        [.. servers.Origin.Server.LogEntries.Select(e => e.RequestMessage).Where(m => m.Path == path)];

    private static string Header(WireMock.IRequestMessage message, string name) =>
        message.Headers!.First(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value.Single();

    private static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string environment, params string[] args) =>
        GetCommandTests.RunAsync(environment, args);
}
