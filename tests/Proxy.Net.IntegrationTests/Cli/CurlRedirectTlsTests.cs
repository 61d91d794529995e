using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ProxyNet.IntegrationTests.Routing;
using ProxyNet.IntegrationTests.Servers;

namespace ProxyNet.IntegrationTests.Cli;

/// <summary>
/// curl's redirect and TLS habits in <c>proxynet get</c>: no redirect is followed without <c>-L</c> (the route of
/// each hop proven by squid's log), <c>-k</c> relaxes the origin's certificate check only, loudly, and
/// <c>--proxy-insecure</c> the HTTPS proxy's.
/// </summary>
[Collection(RealProxiesCollection.Name)]
public sealed class CurlRedirectTlsTests(RealProxies servers)
{
    private string Squid => $"http://127.0.0.1:{servers.Squid.Port}";

    [Fact]
    public async Task Without_dash_L_a_redirect_is_shown_not_followed_and_exits_0_with_it_each_hop_goes_through_squid()
    {
        string from = $"/redirect-{Guid.NewGuid():N}";
        string to = Clients.NewPath();
        servers.Origin.RedirectTo(from, to);

        var (exit, stdout, stderr) = await RunAsync(string.Empty, "get", "-x", Squid, $"{servers.Origin.IpUrl}{from}");
        Assert.True(exit == 0, stderr);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("HTTP/1.1 302 Found", stderr, StringComparison.Ordinal);
        Assert.Contains($"Location: {to}", stderr, StringComparison.Ordinal);
        Assert.Contains("add -L to follow it", stderr, StringComparison.Ordinal);
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"GET {servers.Origin.IpUrl}{from}");
        await LogFile.AssertNoLineAsync(() => servers.Squid.AccessLog, to);

        (exit, stdout, stderr) = await RunAsync(string.Empty, "get", "-L", "-x", Squid, $"{servers.Origin.IpUrl}{from}");
        Assert.True(exit == 0, stderr);
        Assert.Equal("hello from origin", stdout);
        Assert.Equal(string.Empty, stderr);
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"GET {servers.Origin.IpUrl}{to}");

        // -s keeps the note off stderr; --max-redirs 0 under -L stops at the first one, an error.
        (exit, _, stderr) = await RunAsync(string.Empty, "get", "-s", "-x", Squid, $"{servers.Origin.IpUrl}{from}");
        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr);
        (exit, _, stderr) = await RunAsync(string.Empty, "get", "-L", "--max-redirs", "0", "-x", Squid, $"{servers.Origin.IpUrl}{from}");
        Assert.Equal(3, exit);
        Assert.Contains("not followed", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dash_k_accepts_a_self_signed_origin_with_a_warning_even_under_dash_s()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=self-signed.test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        await using var origin = await TlsOrigin.StartAsync(certificate, "self-signed hello");
        string connect = $"CONNECT 127.0.0.1:{origin.Port}";

        int before = LogFile.Count(servers.Squid.AccessLog, connect);
        var (exit, _, stderr) = await RunAsync(string.Empty, "get", "-x", Squid, $"{origin.Url}/");
        Assert.Equal(4, exit);
        Assert.Contains("TLS", stderr, StringComparison.Ordinal);
        await LogFile.WaitForNewLineAsync(() => servers.Squid.AccessLog, connect, before);

        before = LogFile.Count(servers.Squid.AccessLog, connect);
        (exit, string stdout, stderr) = await RunAsync(string.Empty, "get", "-sk", "-x", Squid, $"{origin.Url}/");
        Assert.True(exit == 0, stderr);
        Assert.Equal("self-signed hello", stdout);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("proxynet: warning: --insecure: server certificates are not checked", stderr, StringComparison.Ordinal);
        await LogFile.WaitForNewLineAsync(() => servers.Squid.AccessLog, connect, before);
    }

    [Fact]
    public async Task Dash_k_leaves_the_HTTPS_proxy_checked_and_proxy_insecure_relaxes_that()
    {
        using var proxyCa = new TestCertificates("Untrusted proxy CA");
        await using var httpsProxy = await StunnelServer.StartAsync(proxyCa.IssueServer(), servers.Squid.Port);
        string path = Clients.NewPath();
        // An http:// origin behind an HTTPS proxy is reached by CONNECT: squid logs the tunnel, not the path.
        string connect = $"CONNECT 127.0.0.1:{servers.Origin.Port}";
        int before = LogFile.Count(servers.Squid.AccessLog, connect);

        var (exit, _, stderr) = await RunAsync(string.Empty, "get", "-k", "-x", httpsProxy.Url, $"{servers.Origin.IpUrl}{path}");
        Assert.Equal(4, exit);
        Assert.Contains("TLS", stderr, StringComparison.Ordinal);
        await Task.Delay(300);
        Assert.Equal(before, LogFile.Count(servers.Squid.AccessLog, connect));

        (exit, string stdout, stderr) = await RunAsync(string.Empty, "get", "--proxy-insecure", "-x", httpsProxy.Url, $"{servers.Origin.IpUrl}{path}");
        Assert.True(exit == 0, stderr);
        Assert.Equal("hello from origin", stdout);
        Assert.Contains("proxynet: warning: --proxy-insecure: HTTPS proxy certificates are not checked", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("server certificates", stderr, StringComparison.Ordinal);
        await LogFile.WaitForNewLineAsync(() => servers.Squid.AccessLog, connect, before);
        Assert.Single(servers.Origin.Server.LogEntries, e => e.RequestMessage.Path == path);
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string environment, params string[] args) =>
        GetCommandTests.RunAsync(environment, args);
}
