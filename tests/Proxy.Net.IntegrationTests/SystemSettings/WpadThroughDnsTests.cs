using System.Diagnostics;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace ProxyNet.IntegrationTests.SystemSettings;

/// <summary>
/// WPAD end to end with the machine's own resolver: <c>proxynet</c> runs in a private mount namespace (<c>unshare -m</c>)
/// whose <c>/etc/resolv.conf</c> says the domain is <c>eng.corp.proxynet.test</c> and whose <c>/etc/hosts</c> gives
/// <c>wpad.corp.proxynet.test</c> an address where a real HTTP server serves <c>/wpad.dat</c> on port 80. The machine's
/// real files are untouched (the bind mounts exist only inside that process's namespace).
/// </summary>
public sealed class WpadThroughDnsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("proxynet-wpad-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task AutoDetect_finds_wpad_dat_by_the_domain_suffixes_and_uses_its_answer()
    {
        string address = $"127.77.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}";
        using var server = StartWpadServer(address);
        await File.WriteAllTextAsync(Path.Combine(_dir, "hosts"), $"127.0.0.1 localhost\n{address} wpad.corp.proxynet.test\n");
        await File.WriteAllTextAsync(Path.Combine(_dir, "resolv.conf"), "search eng.corp.proxynet.test\nnameserver 127.0.0.1\noptions timeout:1 attempts:1\n");

        var (exit, stdout, stderr) = await RunInNamespaceAsync("resolve", "--json", "http://example.com/");

        Assert.True(exit == 0, $"exit {exit}: {stdout} {stderr}");
        Assert.Equal(
            "{\"url\":\"http://example.com/\",\"proxy\":\"http://wpad-found.corp:3128\",\"candidates\":[\"http://wpad-found.corp:3128\",null],\"reason\":\"PAC FindProxyForURL returned \\\"PROXY wpad-found.corp:3128; DIRECT\\\"\"}",
            stdout.Trim());
        var fetch = Assert.Single(server.LogEntries);
        Assert.Equal("/wpad.dat", fetch.RequestMessage.Path);
        Assert.Equal("wpad.corp.proxynet.test", fetch.RequestMessage.Headers!["Host"].Single());
    }

    private static WireMockServer StartWpadServer(string address)
    {
        WireMockServer server;
        try
        {
            server = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://{address}:80"] });
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"WPAD is always port 80: could not listen on {address}:80 ({e.Message}); run the tests as root with port 80 free", e);
        }

        server.Given(Request.Create().WithPath("/wpad.dat").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/x-ns-proxy-autoconfig")
                .WithBody("function FindProxyForURL(url, host) { return \"PROXY wpad-found.corp:3128; DIRECT\"; }"));
        return server;
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunInNamespaceAsync(params string[] args)
    {
        const string unshare = "/usr/bin/unshare";
        Assert.True(File.Exists(unshare), "the WPAD test needs unshare (Debian package util-linux)");
        string cli = ProxyNet.Tests.Cli.CliRunner.CliPath;
        string command = $"mount --bind '{_dir}/hosts' /etc/hosts && mount --bind '{_dir}/resolv.conf' /etc/resolv.conf && exec dotnet '{cli}' {string.Join(' ', args.Select(a => $"'{a}'"))}";
        var start = new ProcessStartInfo(unshare, ["-m", "sh", "-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string name in (string[])["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "ftp_proxy", "FTP_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY", "grpc_proxy", "GRPC_PROXY"])
        {
            start.Environment.Remove(name);
        }

        start.Environment["Proxy__AutoDetect"] = "true";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
