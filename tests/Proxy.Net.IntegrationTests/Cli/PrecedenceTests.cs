using ProxyNet.IntegrationTests.Routing;
using ProxyNet.IntegrationTests.Servers;

namespace ProxyNet.IntegrationTests.Cli;

/// <summary>
/// proxynet's precedence, one test per row, run as a process against the real squid and apache proxies: command-line
/// flags, then <c>--config FILE</c>, then <c>Proxy__*</c> variables, then the standard variables; <c>--pac</c> and
/// <c>--proxy</c> replace every proxy source below them, <c>--proxy</c> winning over <c>--pac</c>. The winner's access
/// log has the test's marker; the loser's has none. Trust: a proxy setting never changes origin trust and the reverse.
/// </summary>
[Collection(RealProxiesCollection.Name)]
public sealed class PrecedenceTests(RealProxies servers) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("proxynet-precedence-").FullName;

    private string Squid => $"http://127.0.0.1:{servers.Squid.Port}";

    private string Apache => $"http://127.0.0.1:{servers.Apache.Port}";

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_flag_beats_the_config_file()
    {
        string config = Config($"{{\"Proxy\":{{\"HttpProxy\":\"{Apache}\"}}}}");
        await AssertRoutedThroughSquidAsync(string.Empty, "--proxy", Squid, "--config", config);
    }

    [Fact]
    public async Task The_config_file_beats_Proxy__variables()
    {
        string config = Config($"{{\"Proxy\":{{\"HttpProxy\":\"{Squid}\"}}}}");
        await AssertRoutedThroughSquidAsync($"Proxy__HttpProxy={Apache}", "--config", config);
    }

    [Fact]
    public async Task Proxy__variables_beat_the_standard_variables()
    {
        await AssertRoutedThroughSquidAsync($"Proxy__HttpProxy={Squid}|HTTP_PROXY={Apache}|http_proxy={Apache}");
    }

    [Fact]
    public async Task The_pac_flag_beats_an_explicit_proxy_in_the_config_file()
    {
        string pac = Pac($"PROXY 127.0.0.1:{servers.Squid.Port}");
        string config = Config($"{{\"Proxy\":{{\"HttpProxy\":\"{Apache}\"}}}}");
        await AssertRoutedThroughSquidAsync(string.Empty, "--pac", pac, "--config", config);
    }

    [Fact]
    public async Task The_pac_flag_beats_an_explicit_proxy_in_Proxy__variables()
    {
        string pac = Pac($"PROXY 127.0.0.1:{servers.Squid.Port}");
        await AssertRoutedThroughSquidAsync($"Proxy__HttpProxy={Apache}|Proxy__AllProxy={Apache}", "--pac", pac);
    }

    [Fact]
    public async Task The_proxy_flag_beats_a_PacUrl_in_the_config_file()
    {
        string pac = Pac($"PROXY 127.0.0.1:{servers.Apache.Port}");
        string config = Config($"{{\"Proxy\":{{\"PacUrl\":\"{pac}\"}}}}");
        await AssertRoutedThroughSquidAsync(string.Empty, "--proxy", Squid, "--config", config);
    }

    [Fact]
    public async Task The_proxy_flag_beats_the_pac_flag()
    {
        string pac = Pac($"PROXY 127.0.0.1:{servers.Apache.Port}");
        await AssertRoutedThroughSquidAsync(string.Empty, "--pac", pac, "--proxy", Squid);
    }

    [Fact]
    public async Task A_flag_replaces_only_its_own_setting()
    {
        // --no-proxy replaces the bypass list but keeps the configured proxy: the request still goes through squid.
        string config = Config($"{{\"Proxy\":{{\"HttpProxy\":\"{Squid}\",\"ExcludedDomains\":\"127.0.0.1\"}}}}");
        await AssertRoutedThroughSquidAsync(string.Empty, "--config", config, "--no-proxy", "nothing.invalid");
    }

    [Fact]
    public async Task A_proxy_trust_setting_never_opens_origin_trust()
    {
        // SslRejectUnauthorized=false accepts any HTTPS *proxy* certificate; the origin's private CA is still unknown.
        var (exit, _, stderr) = await GetCommandTests.RunAsync("Proxy__SslRejectUnauthorized=false", "get", servers.TlsOrigin.Url, "-o", Path.Combine(_dir, "out"));

        Assert.Equal(4, exit);
        Assert.Contains("certificate", stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("environment variable Proxy__SslRejectUnauthorized=false: HTTPS proxy certificates are not checked", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "out")));
    }

    [Fact]
    public async Task An_origin_CA_flag_trusts_the_origin_and_insecure_warns_naming_itself()
    {
        // --ca-file makes the origin's private CA trusted (origin trust only); --insecure warns once, naming itself.
        string ca = Path.Combine(_dir, "ca.pem");
        await File.WriteAllTextAsync(ca, servers.Certificates.AuthorityPem);
        var (exit, stdout, stderr) = await GetCommandTests.RunAsync(string.Empty, "get", servers.TlsOrigin.Url, "--ca-file", ca);
        Assert.True(exit == 0, stderr);
        Assert.Equal("hello over tls", stdout);

        var (insecureExit, _, insecureErr) = await GetCommandTests.RunAsync(string.Empty, "get", servers.TlsOrigin.Url, "--insecure", "-o", Path.Combine(_dir, "x"));
        Assert.True(insecureExit == 0, insecureErr);
        Assert.Single(insecureErr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("warning", StringComparison.Ordinal));
        Assert.Contains("--insecure: server certificates are not checked", insecureErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Proxy__Tls__DangerousAcceptAnyServerCertificate=true", "environment variable Proxy__Tls__DangerousAcceptAnyServerCertificate=true: server certificates are not checked")]
    [InlineData("Proxy__Tls__DangerousAcceptAnyProxyCertificate=true", "environment variable Proxy__Tls__DangerousAcceptAnyProxyCertificate=true: HTTPS proxy certificates are not checked")]
    public async Task Every_accept_any_switch_warns_once_naming_its_source(string variable, string warning)
    {
        var (_, _, stderr) = await GetCommandTests.RunAsync(variable, "get", servers.TlsOrigin.Url, "-o", Path.Combine(_dir, "y"));

        var warnings = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains("warning", StringComparison.Ordinal)).ToList();
        Assert.Equal($"proxynet: warning: {warning}", Assert.Single(warnings));
    }

    [Fact]
    public async Task An_accept_any_switch_in_the_config_file_names_the_file()
    {
        string config = Config("{\"Proxy\":{\"Tls\":{\"DangerousAcceptAnyServerCertificate\":true}}}");
        var (exit, _, stderr) = await GetCommandTests.RunAsync(string.Empty, "get", servers.TlsOrigin.Url, "--config", config, "-o", Path.Combine(_dir, "z"));

        Assert.True(exit == 0, stderr);
        Assert.Contains($"proxynet: warning: --config {config} (Proxy:Tls:DangerousAcceptAnyServerCertificate: true): server certificates are not checked", stderr, StringComparison.Ordinal);
    }

    private async Task AssertRoutedThroughSquidAsync(string environment, params string[] flags)
    {
        string path = Clients.NewPath();
        var (exit, stdout, stderr) = await GetCommandTests.RunAsync(environment, ["get", $"{servers.Origin.IpUrl}{path}", "-v", .. flags]);

        Assert.True(exit == 0, stderr);
        Assert.Equal("hello from origin", stdout);
        Assert.Contains($"route: PROXY {Squid}", stderr, StringComparison.Ordinal);
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"GET {servers.Origin.IpUrl}{path}");
        await LogFile.AssertNoLineAsync(() => servers.Apache.AccessLog, path);
    }

    private string Pac(string answer)
    {
        string path = Path.Combine(_dir, $"{Guid.NewGuid():N}.pac");
        File.WriteAllText(path, $"function FindProxyForURL(url, host) {{ return \"{answer}\"; }}");
        return path;
    }

    private string Config(string json)
    {
        string path = Path.Combine(_dir, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
