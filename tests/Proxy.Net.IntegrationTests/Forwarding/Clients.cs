using System.Diagnostics;

namespace ProxyNet.IntegrationTests.Forwarding;

/// <summary>Programs that are not .NET, run as a user runs them: configured only by the environment they are given.</summary>
internal static class ExternalClients
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(Servers.ServerProcess.Require(program, Package(program))) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (string name in new[] { "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The Debian package a client program comes from (named when it is missing).</summary>
    public static string Package(string program) => program switch
    {
        "Rscript" => "r-base-core",
        "node" => "nodejs",
        _ => program,
    };

    /// <summary>The variables of <c>proxynet env</c>'s sh output (<c>export NAME='value'</c>).</summary>
    public static Dictionary<string, string> ParseExports(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("export ", StringComparison.Ordinal))
            .Select(l => l["export ".Length..])
            .ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 2)..^1]);
}
