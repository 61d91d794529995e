using System.Diagnostics;

namespace ProxyNet.Tests.Cli;

/// <summary>Runs the built <c>proxynet</c> as a separate process with a clean proxy environment.</summary>
internal static class CliRunner
{
    private static readonly string[] ProxyVariables =
    [
        "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "ftp_proxy", "FTP_PROXY", "all_proxy", "ALL_PROXY",
        "no_proxy", "NO_PROXY", "grpc_proxy", "GRPC_PROXY", "REQUEST_METHOD",
    ];

    /// <summary>The folder that holds Proxy.Net.sln, found above the test's output folder.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>
    /// The CLI's own build output (src/Proxy.Net.Cli/bin/CONFIGURATION/net10.0) for the test's configuration. The tool
    /// targets net10.0 only and runs on the shared runtime, whichever framework the tests run on: their output folder
    /// is bin/CONFIGURATION/TFM/linux-x64, so only the configuration is taken from it.
    /// </summary>
    public static string CliPath { get; } = Path.Combine(RepositoryRoot, "src", "Proxy.Net.Cli", "bin", TestConfiguration(), "net10.0", "proxynet.dll");

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Proxy.Net.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Proxy.Net.sln not found above {AppContext.BaseDirectory}");
    }

    private static string TestConfiguration()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir.Parent is { } parent; dir = parent)
        {
            if (parent.Name == "bin")
            {
                return dir.Name;
            }
        }

        throw new InvalidOperationException($"no bin/CONFIGURATION folder above {AppContext.BaseDirectory}");
    }

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string environment, params string[] args) =>
        RunUnderAsync([], environment, args);

    /// <summary>As <see cref="RunAsync"/>, in <paramref name="workingDirectory"/> (for <c>get -O</c>, which writes there).</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunInAsync(string workingDirectory, string environment, params string[] args) =>
        RunProcessAsync([], environment, args, workingDirectory);

    /// <summary>As <see cref="RunAsync"/>, started by <paramref name="launcher"/> (e.g. <c>faketime -f @TIME</c>) when it is not empty.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunUnderAsync(string[] launcher, string environment, params string[] args) =>
        RunProcessAsync(launcher, environment, args, workingDirectory: null);

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunProcessAsync(string[] launcher, string environment, string[] args, string? workingDirectory)
    {
        string dll = CliPath;
        var start = new ProcessStartInfo(launcher.Length > 0 ? launcher[0] : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory ?? string.Empty };
        foreach (string part in launcher.Skip(1).Concat(launcher.Length > 0 ? ["dotnet"] : []))
        {
            start.ArgumentList.Add(part);
        }

        start.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (string name in ProxyVariables)
        {
            start.Environment.Remove(name);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Proxy__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (string pair in environment.Split('|', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=');
            start.Environment[pair[..eq]] = pair[(eq + 1)..];
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
