namespace ProxyNet.IntegrationTests.Servers;

/// <summary>pyftpdlib (system interpreter) on 127.0.0.1 serving a temporary folder, writable, optionally with one login.</summary>
internal sealed class FtpServer : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private FtpServer(ServerProcess process, string root, int port)
    {
        _process = process;
        Root = root;
        Port = port;
    }

    public string Root { get; }

    public int Port { get; }

    public string Url => $"ftp://127.0.0.1:{Port}";

    public string Log => _process.Output;

    public static async Task<FtpServer> StartAsync(string? user = null, string? password = null)
    {
        if (!File.Exists("/usr/lib/python3/dist-packages/pyftpdlib/__init__.py"))
        {
            throw new InvalidOperationException("pyftpdlib is missing: install the Debian package 'python3-pyftpdlib' (bash tests/run installs it).");
        }

        string root = Directory.CreateTempSubdirectory("proxynet-ftp-").FullName;
        int port = ServerProcess.FreePort();
        List<string> args = ["-m", "pyftpdlib", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", "127.0.0.1", "-d", root, "-w"];
        if (user is not null)
        {
            args.AddRange(["-u", user, "-P", password ?? string.Empty]);
        }

        var process = await ServerProcess.StartAsync("python3-pyftpdlib", "/usr/bin/python3", args, port);
        return new FtpServer(process, root, port);
    }

    public ValueTask DisposeAsync()
    {
        _process.Dispose();
        Directory.Delete(Root, recursive: true);
        return ValueTask.CompletedTask;
    }
}
