using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProxyNet.DependencyInjection;
using ProxyNet.Http;
using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.IntegrationTests.Routing;

/// <summary>
/// One routing pass per hop, through real squid and apache2: a failover decision never outlives its hop, one
/// proxy's login never reaches the next, a live proxy's refusal opens no breaker, a dead proxy fails over on every
/// scheme, and a configuration change between two reads cannot route around the egress policy. Every claim reads
/// the proxy's access log for a marker of its own.
/// </summary>
[Collection(RealProxiesCollection.Name)]
public sealed class RoutingPassTests(RealProxies servers)
{
    [Fact]
    public async Task After_a_failover_a_redirect_to_a_NO_PROXY_host_goes_DIRECT()
    {
        string first = Clients.NewPath(), second = Clients.NewPath();
        servers.Origin.RedirectTo(first, $"{servers.Origin.NameUrl}{second}");
        using var sp = Clients.Build(
            servers,
            o =>
            {
                o.HttpProxy = $"http://127.0.0.1:{ServerProcess.FreePort()}, {servers.Squid.Url}";
                o.ExcludedDomains = ["localhost"];
            },
            s => s.AddHttpClient("c").AddProxySupport());

        Assert.Equal("hello from origin", await sp.Get("c").GetStringAsync($"{servers.Origin.IpUrl}{first}"));
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, first);
        await LogFile.AssertNoLineAsync(() => servers.Squid.AccessLog, second);
        Assert.Contains(servers.Origin.Server.LogEntries, e => e.RequestMessage.Path == second);
    }

    [Fact]
    public async Task Proxy_B_never_receives_the_login_answered_to_proxy_A()
    {
        string headerLog = Path.Combine(Directory.CreateTempSubdirectory("proxynet-authlog-").FullName, "headers.log");
        File.SetUnixFileMode(Path.GetDirectoryName(headerLog)!, (UnixFileMode)0x1FF);
        await using var b = await SquidServer.StartAsync(extraConfig: $"""
            logformat headers %rm %ru proxy-authorization=[%{"{"}Proxy-Authorization{"}"}>h]
            access_log stdio:{headerLog} headers
            """);

        // A asks for a login, then stops listening: the answer to its 407 cannot be delivered, the request fails over.
        using var a = new TcpListener(IPAddress.Loopback, 0);
        a.Start();
        int aPort = ((IPEndPoint)a.LocalEndpoint).Port;
        var askOnce = Task.Run(async () =>
        {
            using var connection = await a.AcceptTcpClientAsync();
            var stream = connection.GetStream();
            await ScriptedServer.ReadHeadAsync(stream);

            // Stop listening before answering, so the retry with the login can only be refused (never queued).
            a.Stop();
            await ScriptedServer.WriteAsync(stream, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"a\"\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        });
        string path = Clients.NewPath();
        using (var sp = Clients.Build(servers, o => o.HttpProxy = $"http://alice:secret-of-a@127.0.0.1:{aPort}, {b.Url}", s => s.AddHttpClient("c").AddProxySupport()))
        {
            Assert.Equal("hello from origin", await sp.Get("c").GetStringAsync($"{servers.Origin.IpUrl}{path}"));
        }

        await askOnce;
        string line = await LogFile.WaitForLineAsync(() => ServerProcess.ReadLog(headerLog), path);
        Assert.Contains("proxy-authorization=[-]", line, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:secret-of-a")), ServerProcess.ReadLog(headerLog), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Twenty_CONNECTs_refused_by_squid_policy_leave_the_breaker_closed()
    {
        await using var picky = await SquidServer.StartAsync(extraConfig: $"""
            acl refused_port port {servers.Origin.Port}
            acl connect_method method CONNECT
            http_access deny connect_method refused_port
            """);
        int secondBefore = Connects(servers.Squid.AccessLog, servers.Origin.Port);
        using var sp = Clients.Build(servers, o => o.HttpsProxy = $"{picky.Url}, {servers.Squid.Url}", s => s.AddHttpClient("c").AddProxySupport());
        var client = sp.Get("c");
        string refusedPath = Clients.NewPath();
        for (int i = 0; i < 20; i++)
        {
            var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync($"https://127.0.0.1:{servers.Origin.Port}{refusedPath}"));
            Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
            Assert.StartsWith($"Proxy {picky.Url} (Proxy:HttpsProxy) answered 403 Forbidden for 127.0.0.1:{servers.Origin.Port}", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal("hello over tls", await client.GetStringAsync($"{servers.TlsOrigin.Url}/"));
        sp.Dispose();
        await LogFile.WaitForLineAsync(() => picky.AccessLog, $"CONNECT 127.0.0.1:{servers.TlsOrigin.Port}");
        Assert.Equal(20, picky.AccessLog.Split('\n').Count(l => l.Contains($"CONNECT 127.0.0.1:{servers.Origin.Port}", StringComparison.Ordinal) && l.Contains("/403", StringComparison.Ordinal)));
        Assert.Equal(secondBefore, Connects(servers.Squid.AccessLog, servers.Origin.Port));
    }

    private static int Connects(string log, int port) =>
        log.Split('\n').Count(l => l.Contains($"CONNECT 127.0.0.1:{port} ", StringComparison.Ordinal));

    [Fact]
    public async Task A_dead_first_proxy_fails_over_for_http_https_and_ftp()
    {
        string dead = $"http://127.0.0.1:{ServerProcess.FreePort()}";
        string path = Clients.NewPath();
        string file = $"failover-{Guid.NewGuid():N}.txt";
        await File.WriteAllTextAsync(Path.Combine(servers.Ftp.Root, file), "hello over ftp");
        using (var sp = Clients.Build(
            servers,
            o =>
            {
                o.HttpProxy = o.HttpsProxy = $"{dead}, {servers.Squid.Url}";
                o.FtpProxy = $"{dead}, {servers.Apache.Url}";
            },
            s => s.AddHttpClient("c").AddProxySupport()))
        {
            var client = sp.Get("c");
            Assert.Equal("hello from origin", await client.GetStringAsync($"{servers.Origin.IpUrl}{path}"));
            Assert.Equal("hello over tls", await client.GetStringAsync($"{servers.TlsOrigin.Url}{path}"));
            Assert.Equal("hello over ftp", await client.GetStringAsync($"{servers.Ftp.Url}/{file}"));
        }

        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"GET {servers.Origin.IpUrl}{path}");
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"CONNECT 127.0.0.1:{servers.TlsOrigin.Port}");
        await LogFile.WaitForLineAsync(() => servers.Apache.AccessLog, $"\"CONNECT 127.0.0.1:{servers.Ftp.Port} HTTP/1.1\" 200");
    }

    [Fact]
    public async Task Ftp_through_a_proxy_that_refuses_CONNECT_is_an_HttpRequestException_naming_proxy_destination_and_status()
    {
        await using var picky = await SquidServer.StartAsync(extraConfig: $"""
            acl refused_port port {servers.Ftp.Port}
            acl connect_method method CONNECT
            http_access deny connect_method refused_port
            """);
        using var sp = Clients.Build(servers, o => o.FtpProxy = picky.Url, s => s.AddHttpClient("c").AddProxySupport());
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => sp.Get("c").GetStringAsync($"{servers.Ftp.Url}/anything.txt"));
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal(HttpRequestError.ProxyTunnelError, error.HttpRequestError);
        Assert.StartsWith($"Proxy {picky.Url} (Proxy:FtpProxy) refused CONNECT 127.0.0.1:{servers.Ftp.Port} (403 Forbidden)", error.Message, StringComparison.Ordinal);
        await LogFile.WaitForLineAsync(() => picky.AccessLog, $"CONNECT 127.0.0.1:{servers.Ftp.Port}");
    }

    [Fact]
    public async Task A_reload_between_two_reads_cannot_route_around_the_egress_policy()
    {
        // Every read of the configuration alternates between "through squid" and "DIRECT"; the egress policy allows
        // DIRECT to nothing here. One read per hop means squid carries the first request and the second is refused.
        int reads = 0;
        var viaSquid = ProxySettings.Compile(new ProxyNetOptions { UseEnvironment = false, HttpProxy = servers.Squid.Url, AllowedDirect = ["allowed.invalid"] }, _ => null);
        var direct = ProxySettings.Compile(new ProxyNetOptions { UseEnvironment = false, AllowedDirect = ["allowed.invalid"] }, _ => null);
        var resolver = new ProxyResolver(() => Interlocked.Increment(ref reads) % 2 == 1 ? viaSquid : direct);
        using var client = new HttpClient(ProxyNetHandler.Create(resolver));
        string proxied = Clients.NewPath(), refused = Clients.NewPath();

        Assert.Equal("hello from origin", await client.GetStringAsync($"{servers.Origin.IpUrl}{proxied}"));
        await Assert.ThrowsAsync<ProxyEgressRefusedException>(() => client.GetStringAsync($"{servers.Origin.IpUrl}{refused}"));

        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, proxied);
        Assert.DoesNotContain(servers.Origin.Server.LogEntries, e => e.RequestMessage.Path == refused);
        Assert.Equal(2, reads);
    }

    [Fact]
    public async Task An_invalid_reload_keeps_serving_the_last_good_route_through_squid()
    {
        var logs = new ListLoggerProvider();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Proxy:HttpProxy"] = servers.Squid.Url,
            ["Proxy:UseEnvironment"] = "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddProvider(logs));
        services.AddProxyNet(config.GetSection("Proxy"));
        services.AddHttpClient("c").AddProxySupport();
        using var sp = services.BuildServiceProvider();
        string before = Clients.NewPath(), after = Clients.NewPath();
        await sp.Get("c").GetStringAsync($"{servers.Origin.IpUrl}{before}");

        config["Proxy:Enabled"] = "no";
        config["Proxy:HttpProxy"] = "http://proxy.invalid:99999";
        config.Reload();
        await sp.Get("c").GetStringAsync($"{servers.Origin.IpUrl}{after}");

        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"GET {servers.Origin.IpUrl}{before}");
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"GET {servers.Origin.IpUrl}{after}");
        Assert.Contains(logs.Lines, l => l.Contains("[12]", StringComparison.Ordinal) && l.Contains("Proxy:Enabled: 'no' is not a boolean", StringComparison.Ordinal));
    }

}
