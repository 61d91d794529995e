using System.Text.Json;
using ProxyNet.IntegrationTests.Servers;

namespace ProxyNet.IntegrationTests.Cli;

/// <summary><c>proxynet doctor</c> run as its own process against real and dead proxies.</summary>
[Collection(RealProxiesCollection.Name)]
public sealed class DoctorCommandTests(RealProxies servers)
{
    [Fact]
    public async Task Names_a_bad_NO_PROXY_entry_and_a_dead_proxy()
    {
        int dead = ServerProcess.FreePort();
        var (exit, stdout, _) = await GetCommandTests.RunAsync($"HTTPS_PROXY=http://u:hunter2@127.0.0.1:{dead}|NO_PROXY=10.0.0.0/33,.corp", "doctor");
        Assert.Equal(1, exit);
        Assert.Contains("[WARN] bypass list: NO_PROXY entry '10.0.0.0/33' ignored", stdout, StringComparison.Ordinal);
        Assert.Contains($"[FAIL] proxy http://127.0.0.1:{dead}: cannot connect", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checks_authentication_CONNECT_FTP_ports_and_the_certificate_chain()
    {
        string ca = Path.GetTempFileName();
        await File.WriteAllTextAsync(ca, servers.Certificates.AuthorityPem);
        string proxy = $"http://{RealProxies.User}:{Uri.EscapeDataString(RealProxies.Password)}@127.0.0.1:{servers.AuthSquid.Port}";
        var (exit, stdout, stderr) = await GetCommandTests.RunAsync($"HTTPS_PROXY={proxy}", "doctor", $"{servers.TlsOrigin.Url}/", "--ca-file", ca, "--json");
        Assert.True(exit == 0, stdout + stderr);
        using var report = JsonDocument.Parse(stdout);
        var checks = report.RootElement.GetProperty("checks").EnumerateArray().ToList();
        Assert.Contains(checks, c => c.GetProperty("check").GetString()!.Contains("CONNECT 127.0.0.1", StringComparison.Ordinal)
            && c.GetProperty("detail").GetString()!.Contains($"credentials for '{RealProxies.User}' accepted", StringComparison.Ordinal));
        Assert.True(
            checks.Any(c => c.GetProperty("check").GetString() == "certificate" && c.GetProperty("verdict").GetString() == "ok"
                && c.GetProperty("detail").GetString()!.Contains("Proxy.Net Test CA", StringComparison.Ordinal)),
            stdout);
        Assert.DoesNotContain(RealProxies.Password, stdout, StringComparison.Ordinal);
        Assert.True(
            checks.Any(c => c.GetProperty("detail").GetString()!.Contains($"offers Basic; Proxy.Net logs in as '{RealProxies.User}' with Basic", StringComparison.Ordinal)),
            stdout);

        (exit, stdout, _) = await GetCommandTests.RunAsync($"FTP_PROXY={servers.Apache.Url}", "doctor", $"{servers.Ftp.Url}/");
        Assert.Contains("CONNECT to an FTP data port: allowed", stdout, StringComparison.Ordinal);

        (exit, stdout, _) = await GetCommandTests.RunAsync($"HTTPS_PROXY=http://{RealProxies.User}:badpass123@127.0.0.1:{servers.AuthSquid.Port}", "doctor", $"{servers.TlsOrigin.Url}/");
        Assert.Equal(1, exit);
        Assert.True(stdout.Contains("it offered Basic; tried Basic as user 'alice'; the proxy rejected the Basic login of user 'alice' (wrong password or unknown user)", StringComparison.Ordinal), stdout);
    }

    [Fact]
    public async Task Against_a_Digest_proxy_doctor_and_get_agree()
    {
        await using var squid = await SquidServer.StartAsync(login: SquidServer.DigestLogin("dana", "digest-pass-42"));
        string ca = Path.Combine(Path.GetTempPath(), $"proxynet-ca-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(ca, servers.Certificates.AuthorityPem);
        string environment = $"HTTPS_PROXY=http://dana:digest-pass-42@127.0.0.1:{squid.Port}";

        var (getExit, getOut, getErr) = await GetCommandTests.RunAsync(environment, "get", $"{servers.TlsOrigin.Url}/", "--ca-file", ca);
        var (exit, stdout, stderr) = await GetCommandTests.RunAsync(environment, "doctor", $"{servers.TlsOrigin.Url}/", "--ca-file", ca);
        File.Delete(ca);

        Assert.True(getExit == 0, getErr);
        Assert.Equal("hello over tls", getOut);
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("offers Digest; Proxy.Net logs in as 'dana' with Digest", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("digest-pass-42", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthSchemes_Basic_against_a_proxy_offering_Digest_and_Basic_makes_doctor_say_and_use_Basic()
    {
        const string User = "bea", Password = "both-pass-42";

        // Squid offers Digest and Basic, and logs the scheme of every Proxy-Authorization it gets.
        await using var squid = await SquidServer.StartAsync(login: SquidServer.Logins(
            SquidServer.DigestLogin(User, Password),
            SquidServer.BasicLogin(User, Password),
            dir => Task.FromResult($"logformat login %rm %{{Proxy-Authorization}}>h\naccess_log stdio:{dir}/login.log login")));
        string loginLog = Path.Combine(squid.Directory, "login.log");
        string ca = Path.Combine(Path.GetTempPath(), $"proxynet-ca-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(ca, servers.Certificates.AuthorityPem);
        string environment = $"HTTPS_PROXY=http://{User}:{Password}@127.0.0.1:{squid.Port}";

        var (exit, stdout, stderr) = await GetCommandTests.RunAsync($"{environment}|Proxy__AuthSchemes=Basic", "doctor", $"{servers.TlsOrigin.Url}/", "--ca-file", ca);

        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains($"offers Digest, Basic; Proxy.Net logs in as '{User}' with Basic (the strongest offered that AuthSchemes (Basic) allows)", stdout, StringComparison.Ordinal);
        Assert.Contains($"CONNECT 127.0.0.1:{new Uri(servers.TlsOrigin.Url).Port}: allowed; credentials for '{User}' accepted", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, stdout + stderr, StringComparison.Ordinal);

        // Its tunnels logged in with Basic, as it said: never Digest, though squid offered it first.
        await LogFile.WaitForLineAsync(() => ServerProcess.ReadLog(loginLog), "CONNECT Basic");
        await LogFile.AssertNoLineAsync(() => ServerProcess.ReadLog(loginLog), "CONNECT Digest");

        // Without AuthSchemes the strongest offered wins.
        var (_, strongest, _) = await GetCommandTests.RunAsync(environment, "doctor", $"{servers.TlsOrigin.Url}/", "--ca-file", ca);
        File.Delete(ca);
        Assert.Contains($"offers Digest, Basic; Proxy.Net logs in as '{User}' with Digest (the strongest offered)", strongest, StringComparison.Ordinal);
        await LogFile.WaitForLineAsync(() => ServerProcess.ReadLog(loginLog), "CONNECT Digest");
    }
}
