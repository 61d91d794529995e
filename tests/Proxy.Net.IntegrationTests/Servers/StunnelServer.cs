using System.Security.Cryptography.X509Certificates;

namespace ProxyNet.IntegrationTests.Servers;

/// <summary>stunnel4 terminating TLS in front of another server: with squid behind it, an HTTPS proxy.</summary>
internal sealed class StunnelServer : IAsyncDisposable
{
    private readonly ServerProcess _process;
    private readonly string _dir;

    private StunnelServer(ServerProcess process, string dir, int port)
    {
        _process = process;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"https://127.0.0.1:{Port}";

    public string Log => _process.Output;

    public static async Task<StunnelServer> StartAsync(X509Certificate2 certificate, int backendPort)
    {
        string dir = Directory.CreateTempSubdirectory("proxynet-stunnel-").FullName;
        string pem = Path.Combine(dir, "server.pem");
        using (var key = certificate.GetECDsaPrivateKey()!)
        {
            await File.WriteAllTextAsync(pem, certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n");
        }

        int port = ServerProcess.FreePort();
        string config = Path.Combine(dir, "stunnel.conf");
        await File.WriteAllTextAsync(config, $"""
            foreground = yes
            pid =
            debug = 4
            [https-proxy]
            accept = 127.0.0.1:{port}
            connect = 127.0.0.1:{backendPort}
            cert = {pem}
            """);
        var process = await ServerProcess.StartAsync("stunnel4", "stunnel4", [config], port);
        return new StunnelServer(process, dir, port);
    }

    public ValueTask DisposeAsync()
    {
        _process.Dispose();
        Directory.Delete(_dir, recursive: true);
        return ValueTask.CompletedTask;
    }
}
