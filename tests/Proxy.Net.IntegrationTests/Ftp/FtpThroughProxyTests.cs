using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using ProxyNet.DependencyInjection;
using ProxyNet.IntegrationTests.Cli;
using ProxyNet.IntegrationTests.Routing;
using ProxyNet.IntegrationTests.Servers;

namespace ProxyNet.IntegrationTests.Ftp;

/// <summary>The DSS FTP feature: passive FTP through CONNECT tunnels of the DSS apache2 (and squid), against pyftpdlib.</summary>
[Collection(RealProxiesCollection.Name)]
public sealed class FtpThroughProxyTests(RealProxies servers)
{
    [Fact]
    public async Task Downloads_through_the_DSS_apache_with_one_CONNECT_for_control_and_one_per_data_connection()
    {
        string name = $"small-{Guid.NewGuid():N}.txt";
        await File.WriteAllTextAsync(Path.Combine(servers.Ftp.Root, name), "hello over ftp");
        using (var sp = Clients.Build(servers, o => o.FtpProxy = servers.Apache.Url, s => s.AddHttpClient("ftp").AddProxySupport()))
        {
            Assert.Equal("hello over ftp", await sp.Get("ftp").GetStringAsync($"{servers.Ftp.Url}/{name}"));
        }

        string log = await LogFile.WaitForLineAsync(() => servers.Apache.AccessLog, $"\"CONNECT 127.0.0.1:{servers.Ftp.Port} HTTP/1.1\" 200");
        Assert.NotEmpty(log);
        Assert.Contains(servers.Apache.AccessLog.Split('\n'), l => l.Contains("\"CONNECT 127.0.0.1:", StringComparison.Ordinal) && !l.Contains($":{servers.Ftp.Port} ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lists_a_directory_heads_a_file_and_uploads()
    {
        string dir = $"dir-{Guid.NewGuid():N}";
        Directory.CreateDirectory(Path.Combine(servers.Ftp.Root, dir));
        await File.WriteAllTextAsync(Path.Combine(servers.Ftp.Root, dir, "a.csv"), "1,2,3\n");
        string control = $"\"CONNECT 127.0.0.1:{servers.Ftp.Port} HTTP/1.1\" 200";
        int before = LogFile.Count(servers.Apache.AccessLog, control);
        using var sp = Clients.Build(servers, o => o.FtpProxy = servers.Apache.Url, s => s.AddHttpClient("ftp").AddProxySupport());
        var client = sp.Get("ftp");

        string listing = await client.GetStringAsync($"{servers.Ftp.Url}/{dir}/");
        Assert.Contains("a.csv", listing, StringComparison.Ordinal);

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{servers.Ftp.Url}/{dir}/a.csv"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(6, head.Content.Headers.ContentLength);
        Assert.NotNull(head.Content.Headers.LastModified);

        byte[] upload = RandomNumberGenerator.GetBytes(300_000);
        using var put = await client.PutAsync($"{servers.Ftp.Url}/{dir}/up.bin", new ByteArrayContent(upload));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(upload, await File.ReadAllBytesAsync(Path.Combine(servers.Ftp.Root, dir, "up.bin")));

        // One control tunnel per request (list, head, put), each logged by the DSS apache.
        await LogFile.WaitForNewLineAsync(() => servers.Apache.AccessLog, control, before + 2);
    }

    [Fact]
    public async Task A_large_listing_streams_through_the_DSS_apache()
    {
        // 20,000 entries (about 1.4 MB of LIST output): the response arrives before the listing has been read, and
        // a caller that buffers it is held to its own MaxResponseContentBufferSize.
        string dir = $"many-{Guid.NewGuid():N}";
        Directory.CreateDirectory(Path.Combine(servers.Ftp.Root, dir));
        for (int i = 0; i < 20_000; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(servers.Ftp.Root, dir, $"app-{i:D5}-prod.csv"), []);
        }

        using var sp = Clients.Build(servers, o => o.FtpProxy = servers.Apache.Url, s => s.AddHttpClient("ftp").AddProxySupport());
        var client = sp.Get("ftp");
        using (var response = await client.GetAsync($"{servers.Ftp.Url}/{dir}/", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Null(response.Content.Headers.ContentLength);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            int lines = 0;
            while (await reader.ReadLineAsync() is { } line)
            {
                lines += line.Contains("-prod.csv", StringComparison.Ordinal) ? 1 : 0;
            }

            Assert.Equal(20_000, lines);
        }

        using var small = sp.GetRequiredService<IHttpClientFactory>().CreateClient("ftp");
        small.MaxResponseContentBufferSize = 64 * 1024;
        await Assert.ThrowsAsync<HttpRequestException>(() => small.GetStringAsync($"{servers.Ftp.Url}/{dir}/"));
    }

    [Fact]
    public async Task No_proxynet_command_prints_the_password_of_an_FTP_URL()
    {
        string dir = Directory.CreateTempSubdirectory("proxynet-ftp-secret-").FullName;
        try
        {
            string upload = Path.Combine(dir, "report.csv");
            await File.WriteAllTextAsync(upload, "a,b\n");
            await File.WriteAllTextAsync(Path.Combine(servers.LoginFtp.Root, "for-cli.txt"), "for alice");
            string good = $"ftp://{RealProxies.User}:{Uri.EscapeDataString(RealProxies.Password)}@127.0.0.1:{servers.LoginFtp.Port}";
            string wrong = $"ftp://{RealProxies.User}:wrong-hunter2@127.0.0.1:{servers.LoginFtp.Port}";
            string environment = $"FTP_PROXY={servers.Apache.Url}";
            var runs = new List<(string Secret, string[] Args)>
            {
                (RealProxies.Password, ["get", $"{good}/for-cli.txt", "-o", Path.Combine(dir, "out.txt"), "-v"]),
                (RealProxies.Password, ["put", upload, $"{good}/up-{Guid.NewGuid():N}.csv", "-v"]),
                ("wrong-hunter2", ["get", $"{wrong}/for-cli.txt", "-o", Path.Combine(dir, "out2.txt"), "-v"]),
                ("wrong-hunter2", ["put", upload, $"{wrong}/x.csv", "-v"]),
                (RealProxies.Password, ["doctor", $"{good}/for-cli.txt", "--timeout", "5"]),
                (RealProxies.Password, ["doctor", $"{good}/for-cli.txt", "--json", "--timeout", "5"]),
                (RealProxies.Password, ["explain", $"{good}/for-cli.txt"]),
                (RealProxies.Password, ["resolve", "--json", $"{good}/for-cli.txt"]),
            };
            foreach (var (secret, args) in runs)
            {
                var (_, stdout, stderr) = await ProxyNet.Tests.Cli.CliRunner.RunAsync(environment, args);
                Assert.DoesNotContain(secret, stdout + stderr, StringComparison.Ordinal);
                Assert.DoesNotContain(Uri.EscapeDataString(secret), stdout + stderr, StringComparison.Ordinal);
            }

            Assert.Equal("for alice", await File.ReadAllTextAsync(Path.Combine(dir, "out.txt")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_missing_file_is_404_with_the_FTP_reply()
    {
        using var sp = Clients.Build(servers, o => o.FtpProxy = servers.Apache.Url, s => s.AddHttpClient("ftp").AddProxySupport());
        using var response = await sp.Get("ftp").GetAsync($"{servers.Ftp.Url}/no-such-file");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("550", response.ReasonPhrase, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_in_with_URL_credentials_or_client_credentials_and_reports_a_refused_login()
    {
        await File.WriteAllTextAsync(Path.Combine(servers.LoginFtp.Root, "secret.txt"), "for alice");
        string user = Uri.EscapeDataString(RealProxies.User), password = Uri.EscapeDataString(RealProxies.Password);
        using var sp = Clients.Build(
            servers,
            o => o.FtpProxy = servers.Apache.Url,
            s =>
            {
                s.AddHttpClient("ftp").AddProxySupport();
                s.AddHttpClient("login").ConfigureProxy(o => o.FtpCredentials = new NetworkCredential(RealProxies.User, RealProxies.Password));
            });
        string control = $"\"CONNECT 127.0.0.1:{servers.LoginFtp.Port} HTTP/1.1\" 200";
        int before = LogFile.Count(servers.Apache.AccessLog, control);
        Assert.Equal("for alice", await sp.Get("ftp").GetStringAsync($"ftp://{user}:{password}@127.0.0.1:{servers.LoginFtp.Port}/secret.txt"));
        await LogFile.WaitForNewLineAsync(() => servers.Apache.AccessLog, control, before);
        Assert.Equal("for alice", await sp.Get("login").GetStringAsync($"{servers.LoginFtp.Url}/secret.txt"));
        using var refused = await sp.Get("ftp").GetAsync($"ftp://{user}:wrong@127.0.0.1:{servers.LoginFtp.Port}/secret.txt");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("530", refused.ReasonPhrase, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proxy_that_refuses_the_data_port_fails_naming_the_port()
    {
        await using var strict = await SquidServer.StartAsync(extraConfig: $"""
            acl ftp_control port {servers.Ftp.Port}
            acl CONNECT method CONNECT
            http_access deny CONNECT !ftp_control
            """);
        await File.WriteAllTextAsync(Path.Combine(servers.Ftp.Root, "strict.txt"), "x");
        using var sp = Clients.Build(servers, o => o.FtpProxy = strict.Url, s => s.AddHttpClient("ftp").AddProxySupport());
        // The same exception type as every http failure: an HttpRequestException with the proxy's status.
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => sp.Get("ftp").GetStringAsync($"{servers.Ftp.Url}/strict.txt"));
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal(HttpRequestError.ProxyTunnelError, error.HttpRequestError);
        Assert.IsType<ProxyNet.Tunnel.ProxyTunnelException>(error.InnerException);
        Assert.Contains("403", error.Message, StringComparison.Ordinal);
        Assert.Contains("not allowed by the proxy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Squid_tunnels_ftp_too_and_direct_ftp_never_reaches_a_proxy()
    {
        string name = $"sq-{Guid.NewGuid():N}.txt";
        await File.WriteAllTextAsync(Path.Combine(servers.Ftp.Root, name), "via squid");
        using (var sp = Clients.Build(servers, o => o.FtpProxy = servers.Squid.Url, s => s.AddHttpClient("ftp").AddProxySupport()))
        {
            Assert.Equal("via squid", await sp.Get("ftp").GetStringAsync($"{servers.Ftp.Url}/{name}"));
        }

        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"CONNECT 127.0.0.1:{servers.Ftp.Port}");

        int apacheLines = servers.Apache.AccessLog.Split('\n').Length;
        using (var sp = Clients.Build(servers, o => { o.FtpProxy = servers.Apache.Url; o.ExcludedDomains = ["127.0.0.1"]; }, s => s.AddHttpClient("ftp").AddProxySupport()))
        {
            Assert.Equal("via squid", await sp.Get("ftp").GetStringAsync($"{servers.Ftp.Url}/{name}"));
        }

        await Task.Delay(300);
        Assert.Equal(apacheLines, servers.Apache.AccessLog.Split('\n').Length);
    }

    [Fact]
    public async Task A_100_MB_file_through_apache_matches_its_SHA256_and_what_curl_fetches()
    {
        string path = Path.Combine(servers.Ftp.Root, "big.bin");
        await using (var file = File.Create(path))
        {
            var chunk = new byte[1 << 20];
            for (int i = 0; i < 100; i++)
            {
                RandomNumberGenerator.Fill(chunk);
                await file.WriteAsync(chunk);
            }
        }

        byte[] expected = SHA256.HashData(await File.ReadAllBytesAsync(path));
        string dir = Directory.CreateTempSubdirectory("proxynet-big-").FullName;
        try
        {
            string ours = Path.Combine(dir, "ours.bin");
            var (exit, _, stderr) = await GetCommandTests.RunAsync($"FTP_PROXY={servers.Apache.Url}", "get", $"{servers.Ftp.Url}/big.bin", "-o", ours);
            Assert.True(exit == 0, stderr);
            Assert.Equal(expected, SHA256.HashData(await File.ReadAllBytesAsync(ours)));

            string theirs = Path.Combine(dir, "curl.bin");
            ServerProcess.Require("curl", "curl");
            using var curl = Process.Start(new ProcessStartInfo("curl", ["-sS", "--proxytunnel", "-x", servers.Apache.Url, $"{servers.Ftp.Url}/big.bin", "-o", theirs]) { RedirectStandardError = true })!;
            await curl.WaitForExitAsync();
            Assert.True(curl.ExitCode == 0, await curl.StandardError.ReadToEndAsync());
            Assert.Equal(await File.ReadAllBytesAsync(theirs), await File.ReadAllBytesAsync(ours));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
            File.Delete(path);
        }
    }
}
