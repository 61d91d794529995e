using System.Diagnostics;
using ProxyNet.IntegrationTests.Routing;
using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Tests.Cli;

namespace ProxyNet.IntegrationTests.Cli;

/// <summary>
/// The packed libraries and tool, used from outside the solution, through a real squid: the library, its AWS client
/// factory and its Azure transport by a throw-away net10.0 project, the tool (installed from its pointer package, so
/// the Native AOT linux-x64 package) by a GET, and the library's net8.0 build by a self-contained net8.0 app
/// (tests/consumer/net8) whose global proxy is an https:// proxy (stunnel4 in front of a second squid) with a CA
/// trusted for that proxy only.
/// </summary>
[Collection(RealProxiesCollection.Name)]
public sealed class ConsumerTests(RealProxies servers)
{
    [Fact]
    public async Task A_project_outside_the_solution_uses_the_packed_library_and_tool()
    {
        using var proxyCa = new TestCertificates("Proxy.Net Consumer Proxy CA");
        string dir = Directory.CreateTempSubdirectory("proxynet-consumer-ca-").FullName;
        string proxyCaFile = Path.Combine(dir, "proxy-ca.pem");
        await File.WriteAllTextAsync(proxyCaFile, proxyCa.AuthorityPem);
        await using var behindTls = await SquidServer.StartAsync();
        await using var httpsProxy = await StunnelServer.StartAsync(proxyCa.IssueServer(), behindTls.Port);

        string origin = servers.Origin.IpUrl;
        string path = Clients.NewPath(), toolPath = Clients.NewPath();
        string globalPath = Clients.NewPath(), bypassPath = Clients.NewPath(), otherPath = Clients.NewPath();
        var start = new ProcessStartInfo(
            "bash",
            [
                Path.Combine(CliRunner.RepositoryRoot, "tests", "consumer", "run"), $"{origin}{path}", $"{origin}{toolPath}",
                httpsProxy.Url, proxyCaFile, servers.Squid.Url, $"{origin}{globalPath}", $"{origin}{bypassPath}", $"{origin}{otherPath}",
            ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = CliRunner.RepositoryRoot,
        };
        start.Environment["HTTP_PROXY"] = servers.Squid.Url;
        start.Environment.Remove("NO_PROXY");
        start.Environment.Remove("no_proxy");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(12));
        await process.WaitForExitAsync(timeout.Token);
        Directory.Delete(dir, recursive: true);
        Assert.True(process.ExitCode == 0, await stdout + await stderr);
        string output = await stdout;
        Assert.Contains("hello from origin", output, StringComparison.Ordinal);
        Assert.Contains("aws: hello from origin", output, StringComparison.Ordinal);
        Assert.Contains("azure: hello from origin", output, StringComparison.Ordinal);
        Assert.Contains("google: hello from origin", output, StringComparison.Ordinal);
        Assert.Contains("elastic: 200", output, StringComparison.Ordinal);
        Assert.Contains("pac: hello from origin", output, StringComparison.Ordinal);
        Assert.Contains("proxynet 0.1.0-consumer.", output, StringComparison.Ordinal);
        Assert.Contains("proxynet tool: Native AOT linux-x64", output, StringComparison.Ordinal);
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, path);
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, toolPath);
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"{path}-aws");
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"{path}-azure");
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"{path}-google");
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"{path}-elastic");
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"{path}-pac");

        // The net8.0 app ran on .NET 8 with the package's net8.0 build, and each client took its own route.
        Assert.Contains("net8.0 app: .NET 8.", output, StringComparison.Ordinal);
        Assert.Contains("Proxy.Net built for .NETCoreApp,Version=v8.0", output, StringComparison.Ordinal);
        Assert.Contains("global (AddProxySupport): hello from origin", output, StringComparison.Ordinal);
        Assert.Contains("bypass (BypassGlobalProxy): hello from origin", output, StringComparison.Ordinal);
        Assert.Contains("other (UseProxy): hello from origin", output, StringComparison.Ordinal);

        // AddProxySupport: through stunnel to the squid behind it (a tunnel, so squid logs the CONNECT, not the path).
        await LogFile.WaitForLineAsync(() => behindTls.AccessLog, $"CONNECT 127.0.0.1:{servers.Origin.Port}");
        // UseProxy: the other squid, by its path; BypassGlobalProxy: DIRECT, so no proxy saw it.
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, otherPath);
        await LogFile.AssertNoLineAsync(() => servers.Squid.AccessLog, globalPath);
        await LogFile.AssertNoLineAsync(() => servers.Squid.AccessLog, bypassPath);
        await LogFile.AssertNoLineAsync(() => behindTls.AccessLog, bypassPath);
        await LogFile.AssertNoLineAsync(() => behindTls.AccessLog, otherPath);
    }
}
