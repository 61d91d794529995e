using System.Diagnostics;
using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Tests.Cli;

namespace ProxyNet.IntegrationTests.Forwarding;

/// <summary>
/// <c>proxynet serve</c> as its own process, configured only by the environment it is given (no proxy variable of
/// the test process leaks in); ready once it printed where it listens, stopped with SIGTERM.
/// </summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;

    private ServeProcess(Process process, int port, string tokenFile)
    {
        _process = process;
        Port = port;
        TokenFile = tokenFile;
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public int Port { get; }

    public string TokenFile { get; }

    /// <summary>What serve wrote to stderr, once it has stopped.</summary>
    public Task<string> Stderr => _stderr;

    public static async Task<ServeProcess> StartAsync(string tokenFile, IReadOnlyDictionary<string, string> environment)
    {
        int port = ServerProcess.FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { CliRunner.CliPath, "serve", "--listen", $"127.0.0.1:{port}", "--token-file", tokenFile })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (string name in start.Environment.Keys.Where(k => k.EndsWith("_proxy", StringComparison.OrdinalIgnoreCase) || k.StartsWith("Proxy__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("KRB5", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        var serve = new ServeProcess(process, port, tokenFile);
        string? ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (ready is null || !ready.StartsWith("proxynet serve: listening on", StringComparison.Ordinal))
        {
            await serve.DisposeAsync();
            throw new InvalidOperationException($"proxynet serve did not start: {ready}{await serve.Stderr}");
        }

        _ = process.StandardOutput.ReadToEndAsync();
        return serve;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            ServeTests.Kill(_process.Id, "TERM");
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }

        _process.Dispose();
    }
}
