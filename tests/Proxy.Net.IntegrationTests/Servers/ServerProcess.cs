using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ProxyNet.IntegrationTests.Servers;

/// <summary>
/// A real server from a Debian package, started in the foreground on 127.0.0.1 and killed with its children.
/// A server that is missing or does not start fails the test with a message naming the package: never a skip.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process) => _process = process;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Reads a log file the server is still writing.</summary>
    public static string ReadLog(string path)
    {
        if (!File.Exists(path))
        {
            return string.Empty;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// A port free now for a server to bind, below Linux's ephemeral range (32768-60999): a port the kernel handed out
    /// could be given again as the source port of any client connection before the server binds it (a test would then
    /// meet its own client instead of its server).
    /// </summary>
    public static int FreePort()
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            int port = Random.Shared.Next(20000, 32000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        throw new InvalidOperationException("no free TCP port between 20000 and 32000 on 127.0.0.1");
    }

    public static string Require(string executable, string package)
    {
        if (Path.IsPathRooted(executable))
        {
            return File.Exists(executable) ? executable : throw new InvalidOperationException($"'{executable}' was not found: install the Debian package '{package}' (bash tests/run installs it).");
        }

        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Concat(["/usr/sbin", "/sbin", "/usr/bin"]))
        {
            string candidate = Path.Combine(dir, executable);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"'{executable}' was not found: install the Debian package '{package}' (bash tests/run installs it).");
    }

    public static async Task<ServerProcess> StartAsync(string package, string executable, IEnumerable<string> args, int port, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Require(executable, package))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var server = new ServerProcess(Process.Start(start) ?? throw new InvalidOperationException($"{executable} ({package}) did not start"));
        server._process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (server._process.HasExited)
            {
                throw new InvalidOperationException($"{executable} (package '{package}') exited with {server._process.ExitCode} before listening on {port}:\n{server.Output}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        server.Dispose();
        throw new InvalidOperationException($"{executable} (package '{package}') did not listen on 127.0.0.1:{port} within 30 s:\n{server.Output}");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
