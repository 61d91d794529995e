using System.Diagnostics;
using ProxyNet.IntegrationTests.Routing;
using ProxyNet.IntegrationTests.Servers;

namespace ProxyNet.IntegrationTests.Cli;

/// <summary>
/// The packed library and tool, used from outside the solution, through a real squid: the library by a throw-away
/// project, the tool (installed from its pointer package, so the Native AOT linux-x64 package) by a GET.
/// </summary>
[Collection(RealProxiesCollection.Name)]
public sealed class ConsumerTests(RealProxies servers)
{
    [Fact]
    public async Task A_project_outside_the_solution_uses_the_packed_library_and_tool()
    {
        string root = ProxyNet.Tests.Cli.CliRunner.RepositoryRoot;
        string path = Clients.NewPath();
        string toolPath = Clients.NewPath();
        var start = new ProcessStartInfo("bash", [Path.Combine(root, "tests", "consumer", "run"), $"{servers.Origin.IpUrl}{path}", $"{servers.Origin.IpUrl}{toolPath}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        start.Environment["HTTP_PROXY"] = servers.Squid.Url;
        start.Environment.Remove("NO_PROXY");
        start.Environment.Remove("no_proxy");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await stdout + await stderr);
        string output = await stdout;
        Assert.Contains("hello from origin", output, StringComparison.Ordinal);
        Assert.Contains("proxynet 0.1.0-consumer.", output, StringComparison.Ordinal);
        Assert.Contains("proxynet tool: Native AOT linux-x64", output, StringComparison.Ordinal);
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, path);
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, toolPath);
    }
}
