using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProxyNet.DependencyInjection;
using ProxyNet.IntegrationTests.Cli;
using ProxyNet.IntegrationTests.Routing;
using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Tests.Fakes;
using ProxyNet.Tls;

namespace ProxyNet.IntegrationTests.Tls;

/// <summary>
/// Origin trust and proxy trust, apart: an intercepting proxy (mitmdump) whose CA must be added to origin trust,
/// an HTTPS proxy (stunnel4 in front of squid) with a private CA trusted for the proxy only, and certificate
/// failures (expired, wrong host, unknown CA) each in their own words.
/// </summary>
[Collection(RealProxiesCollection.Name)]
public sealed class TlsTrustTests(RealProxies servers) : IAsyncLifetime
{
    private readonly TestCertificates _proxyCa = new("Proxy.Net Test Proxy CA");
    private readonly string _dir = Directory.CreateTempSubdirectory("proxynet-tls-").FullName;
    private MitmProxy _mitm = null!;
    private StunnelServer _httpsProxy = null!;

    private string ProxyCaFile => Path.Combine(_dir, "proxy-ca.pem");

    private string OriginCaFile => Path.Combine(_dir, "origin-ca.pem");

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(ProxyCaFile, _proxyCa.AuthorityPem);
        await File.WriteAllTextAsync(OriginCaFile, servers.Certificates.AuthorityPem);
        var mitm = MitmProxy.StartAsync();
        var stunnel = StunnelServer.StartAsync(_proxyCa.IssueServer(), servers.Squid.Port);
        await Task.WhenAll(mitm, stunnel);
        (_mitm, _httpsProxy) = (mitm.Result, stunnel.Result);
    }

    public async Task DisposeAsync()
    {
        await _mitm.DisposeAsync();
        await _httpsProxy.DisposeAsync();
        _proxyCa.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Through_mitmproxy_without_its_CA_the_request_fails_naming_the_CA_and_with_it_succeeds()
    {
        using (var sp = Build(o => o.HttpsProxy = _mitm.Url))
        {
            var error = await Assert.ThrowsAsync<HttpRequestException>(() => sp.Get("c").GetStringAsync($"{servers.TlsOrigin.Url}/"));
            Assert.StartsWith("TLS: the origin's certificate", error.Message, StringComparison.Ordinal);
            Assert.Contains("mitmproxy", error.Message, StringComparison.Ordinal);
            Assert.Contains("Tls:OriginCaCertificates", error.Message, StringComparison.Ordinal);
        }

        using (var sp = Build(o =>
        {
            o.HttpsProxy = _mitm.Url;
            o.Tls.OriginCaCertificates = [_mitm.CaCertificatePath];
        }))
        {
            Assert.Equal("hello over tls", await sp.Get("c").GetStringAsync($"{servers.TlsOrigin.Url}/"));
        }

        await LogFile.WaitForLineAsync(() => _mitm.Log, $"127.0.0.1:{servers.TlsOrigin.Port}");
    }

    [Fact]
    public async Task proxynet_get_through_mitmproxy_needs_its_CA()
    {
        string output = Path.Combine(_dir, "out");
        string path = Clients.NewPath();
        var (exit, _, stderr) = await GetCommandTests.RunAsync($"HTTPS_PROXY={_mitm.Url}", "get", $"{servers.TlsOrigin.Url}/", "-o", output);
        Assert.NotEqual(0, exit);
        Assert.Contains("TLS", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));

        // mitmdump logs the upstream connections it makes: one more proves this download went through it.
        string upstream = $"server connect 127.0.0.1:{servers.TlsOrigin.Port}";
        int before = LogFile.Count(_mitm.Log, upstream);
        (exit, _, stderr) = await GetCommandTests.RunAsync($"HTTPS_PROXY={_mitm.Url}", "get", $"{servers.TlsOrigin.Url}{path}", "-o", output, "--ca-file", _mitm.CaCertificatePath);
        Assert.True(exit == 0, stderr);
        Assert.Equal("hello over tls", await File.ReadAllTextAsync(output));
        await LogFile.WaitForNewLineAsync(() => _mitm.Log, upstream, before);
    }

    [Fact]
    public async Task An_HTTPS_proxy_with_a_private_CA_works_with_that_CA_as_proxy_trust_only()
    {
        string path = Clients.NewPath();
        string toOrigin = $"CONNECT 127.0.0.1:{servers.Origin.Port}", toTls = $"CONNECT 127.0.0.1:{servers.TlsOrigin.Port}";
        int originBefore = LogFile.Count(servers.Squid.AccessLog, toOrigin), tlsBefore = LogFile.Count(servers.Squid.AccessLog, toTls);
        using (var sp = Build(o =>
        {
            o.HttpProxy = o.HttpsProxy = _httpsProxy.Url;
            o.Tls.ProxyCaCertificates = [ProxyCaFile];
            o.Tls.OriginCaCertificates = [OriginCaFile];
        }))
        {
            Assert.Equal("hello over tls", await sp.Get("c").GetStringAsync($"{servers.TlsOrigin.Url}/first"));
            Assert.Equal("hello from origin", await sp.Get("c").GetStringAsync($"{servers.Origin.IpUrl}{path}"));
        }

        // squid, behind stunnel, saw the tunnels.
        await LogFile.WaitForNewLineAsync(() => servers.Squid.AccessLog, toOrigin, originBefore);
        await LogFile.WaitForNewLineAsync(() => servers.Squid.AccessLog, toTls, tlsBefore);
    }

    [Fact]
    public async Task Without_proxy_trust_the_HTTPS_proxy_is_refused_with_a_message_naming_its_CA()
    {
        using var sp = Build(o => o.HttpProxy = _httpsProxy.Url);
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => sp.Get("c").GetStringAsync($"{servers.Origin.IpUrl}{Clients.NewPath()}"));
        Assert.Equal(HttpRequestError.ProxyTunnelError, error.HttpRequestError);
        Assert.StartsWith($"TLS to proxy https://127.0.0.1:{_httpsProxy.Port} (Proxy:HttpProxy) failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("Proxy.Net Test Proxy CA", error.Message, StringComparison.Ordinal);
        Assert.Contains("Tls:ProxyCaCertificates", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_proxy_CA_is_not_trusted_for_origins()
    {
        await using var signedByProxyCa = await TlsOrigin.StartAsync(_proxyCa.IssueServer());
        using var sp = Build(o => o.Tls.ProxyCaCertificates = [ProxyCaFile]);
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => sp.Get("c").GetStringAsync($"{signedByProxyCa.Url}/"));
        Assert.Contains("a CA that is not trusted", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("expired", "expired on")]
    [InlineData("wrong-host", "(wrong host name)")]
    [InlineData("unknown-ca", "a CA that is not trusted")]
    public async Task Each_certificate_failure_has_its_own_message(string kind, string expected)
    {
        using var otherCa = new TestCertificates("Proxy.Net Unknown CA");
        var certificate = kind switch
        {
            "expired" => servers.Certificates.IssueServer(notBefore: DateTimeOffset.UtcNow.AddHours(-20), notAfter: DateTimeOffset.UtcNow.AddHours(-1)),
            "wrong-host" => IssueWithoutIp(servers.Certificates),
            _ => otherCa.IssueServer(),
        };
        await using var origin = await TlsOrigin.StartAsync(certificate);
        using var sp = Build(o => o.Tls.OriginCaCertificates = [OriginCaFile]);
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => sp.Get("c").GetStringAsync($"{origin.Url}/"));
        Assert.StartsWith("TLS: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CARTO_SslCA_is_the_proxy_CA_and_accept_any_is_logged_once_per_client()
    {
        // CARTO's keys are configuration aliases of Tls:ProxyCaCertificates and Tls:DangerousAcceptAnyProxyCertificate.
        string connect = $"CONNECT 127.0.0.1:{servers.Origin.Port}";
        int before = LogFile.Count(servers.Squid.AccessLog, connect);
        using (var sp = BuildFromConfiguration(new() { ["Proxy:HttpProxy"] = _httpsProxy.Url, ["Proxy:SslCA"] = _proxyCa.AuthorityPem }))
        {
            Assert.Equal("hello from origin", await sp.Get("c").GetStringAsync($"{servers.Origin.IpUrl}{Clients.NewPath()}"));
        }

        var logs = new ListLoggerProvider();
        using (var sp = BuildFromConfiguration(new() { ["Proxy:HttpProxy"] = _httpsProxy.Url, ["Proxy:SslRejectUnauthorized"] = "false" }, logs, "insecure-client"))
        {
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal("hello from origin", await sp.Get("insecure-client").GetStringAsync($"{servers.Origin.IpUrl}{Clients.NewPath()}"));
            }
        }

        Assert.Single(logs.Lines, l => l.Contains("accepts ANY proxy certificate", StringComparison.Ordinal));
        await LogFile.WaitForNewLineAsync(() => servers.Squid.AccessLog, connect, before + 1);
    }

    private static ServiceProvider Build(Action<ProxyNet.Resolution.ProxyNetOptions> configure, ListLoggerProvider? logs = null, string name = "c")
    {
        var services = new ServiceCollection();
        services.AddLogging(l =>
        {
            if (logs is not null)
            {
                l.AddProvider(logs);
            }
        });
        services.AddProxyNet(o =>
        {
            o.UseEnvironment = false;
            configure(o);
        });
        services.AddHttpClient(name).AddProxySupport();
        return services.BuildServiceProvider();
    }

    private static ServiceProvider BuildFromConfiguration(Dictionary<string, string?> values, ListLoggerProvider? logs = null, string name = "c")
    {
        values["Proxy:UseEnvironment"] = "false";
        var services = new ServiceCollection();
        services.AddLogging(l =>
        {
            if (logs is not null)
            {
                l.AddProvider(logs);
            }
        });
        services.AddProxyNet(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("Proxy"));
        services.AddHttpClient(name).AddProxySupport();
        return services.BuildServiceProvider();
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 IssueWithoutIp(TestCertificates ca) => ca.IssueServer("other.example", includeLoopbackIp: false);
}
