using System.Net;
using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Tests.Cli;

namespace ProxyNet.IntegrationTests.Forwarding;

/// <summary>
/// <c>proxynet serve</c> in front of squid with <c>negotiate_kerberos_auth</c> and a throw-away MIT realm: serve logs
/// in with the current user's ticket (<c>Proxy__UseDefaultCredentials=true</c>, <c>KRB5CCNAME</c> and
/// <c>KRB5_CONFIG</c> in its environment, no password anywhere), curl only has the lines of <c>proxynet env</c>.
/// squid's log names <c>alice@REALM</c> and shows one upstream connection per client tunnel.
/// </summary>
public sealed class ServeKerberosTests : IDisposable
{
    private const string Principal = KerberosRealm.User + "@" + KerberosRealm.Name;
    private readonly string _dir = Directory.CreateTempSubdirectory("serve-krb5").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public async Task Serve_logs_in_with_the_kinit_ticket_for_http_and_https_one_upstream_connection_per_tunnel()
    {
        await using var realm = await KerberosRealm.StartAsync();
        await using var squid = await SquidServer.StartAsync(login: realm.SquidLogin());
        string cache = await realm.KinitAsync();
        using var ca = new TestCertificates();
        using var certificate = ca.IssueServer(addresses: [IPAddress.Parse("127.0.0.2")]);
        string site = Directory.CreateDirectory(Path.Combine(_dir, "site")).FullName;
        await File.WriteAllTextAsync(Path.Combine(site, "hello.txt"), "hello kerberos\n");
        await using var origin = await FileOrigin.StartAsync(IPAddress.Parse("127.0.0.2"), site, certificate);
        string upstream = $"http://localhost:{squid.Port}";
        await using var serve = await ServeProcess.StartAsync(Path.Combine(_dir, "token"), new Dictionary<string, string>
        {
            ["Proxy__HttpProxy"] = upstream,
            ["Proxy__HttpsProxy"] = upstream,
            ["Proxy__UseDefaultCredentials"] = "true",
            ["KRB5_CONFIG"] = realm.Krb5Config,
            ["KRB5CCNAME"] = cache,
            ["KRB5_CLIENT_KTNAME"] = Path.Combine(_dir, "no-client-keytab"),
        });
        var environment = await EnvironmentAsync(serve.Port, serve.TokenFile, ca);
        const int tunnels = 3;

        var plain = await ExternalClients.RunAsync("curl", ["-sS", "--fail", $"{origin.HttpUrl}/hello.txt"], environment);
        Assert.True(plain.ExitCode == 0 && plain.Stdout == "hello kerberos\n", plain.Stderr);
        for (int i = 0; i < tunnels; i++)
        {
            var secure = await ExternalClients.RunAsync("curl", ["-sS", "--fail", $"{origin.HttpsUrl}/hello.txt"], environment);
            Assert.True(secure.ExitCode == 0 && secure.Stdout == "hello kerberos\n", secure.Stderr);
        }

        var connects = await squid.WaitForAsync(origin.Authority, l => l.Count(r => r.Status == "200") >= tunnels);
        string log = string.Join('\n', squid.Connections);
        Assert.True(squid.Connections.Any(r => r.Method == "GET" && r.Url == $"{origin.HttpUrl}/hello.txt" && r.User == Principal && r.Status == "200"), log);
        Assert.True(connects.Count(r => r.Method == "CONNECT" && r.User == Principal && r.Status == "200") == tunnels, log);
        var byConnection = connects.GroupBy(r => r.ClientPort).ToList();
        Assert.True(byConnection.Count == tunnels, $"expected {tunnels} upstream connections for {tunnels} client tunnels, squid logged:\n{log}");
        Assert.All(byConnection, c => Assert.Equal(1, c.Count(r => r.Status == "200")));
    }

    private async Task<Dictionary<string, string>> EnvironmentAsync(int port, string tokenFile, TestCertificates ca)
    {
        string caFile = Path.Combine(_dir, "ca.pem");
        await File.WriteAllTextAsync(caFile, ca.AuthorityPem);
        string config = Path.Combine(_dir, "proxynet.json");
        await File.WriteAllTextAsync(config, $$"""{ "Proxy": { "Tls": { "OriginCaCertificates": [ "{{caFile}}" ] } } }""");
        var (exit, stdout, stderr) = await CliRunner.RunAsync($"XDG_RUNTIME_DIR={_dir}", ["env", "--serve", $"127.0.0.1:{port}", "--token-file", tokenFile, "--config", config]);
        Assert.True(exit == 0, stderr);
        return ExternalClients.ParseExports(stdout);
    }
}
