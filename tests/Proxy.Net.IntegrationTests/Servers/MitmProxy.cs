namespace ProxyNet.IntegrationTests.Servers;

/// <summary>mitmdump, an intercepting proxy that re-signs TLS with its own CA (written to its confdir on first start).</summary>
internal sealed class MitmProxy : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private MitmProxy(ServerProcess process, string confdir, int port)
    {
        _process = process;
        ConfDir = confdir;
        Port = port;
    }

    public string ConfDir { get; }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public string CaCertificatePath => Path.Combine(ConfDir, "mitmproxy-ca-cert.pem");

    public string Log => _process.Output;

    public static async Task<MitmProxy> StartAsync()
    {
        string confdir = Directory.CreateTempSubdirectory("proxynet-mitm-").FullName;
        int port = ServerProcess.FreePort();
        // ssl_insecure: the test origins use a private test CA that mitmproxy itself does not know.
        var process = await ServerProcess.StartAsync(
            "mitmproxy",
            "mitmdump",
            ["--listen-host", "127.0.0.1", "--listen-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--set", $"confdir={confdir}", "--ssl-insecure"],
            port,
            new Dictionary<string, string> { ["HOME"] = confdir });
        for (int i = 0; i < 100 && !File.Exists(Path.Combine(confdir, "mitmproxy-ca-cert.pem")); i++)
        {
            await Task.Delay(100);
        }

        return new MitmProxy(process, confdir, port);
    }

    public ValueTask DisposeAsync()
    {
        _process.Dispose();
        Directory.Delete(ConfDir, recursive: true);
        return ValueTask.CompletedTask;
    }
}
