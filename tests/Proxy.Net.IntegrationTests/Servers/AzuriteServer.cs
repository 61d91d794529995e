using System.Security.Cryptography.X509Certificates;

namespace ProxyNet.IntegrationTests.Servers;

/// <summary>azurite-blob (npm) on 127.0.0.1 with its well-known development account, storing in a temporary folder.</summary>
internal sealed class AzuriteServer : IAsyncDisposable
{
    public const string Account = "devstoreaccount1";

    // Azurite's published development key: the same on every machine, not a secret.
    public const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly ServerProcess _process;
    private readonly string _directory;

    private AzuriteServer(ServerProcess process, string directory, int port, string scheme)
    {
        _process = process;
        _directory = directory;
        Port = port;
        BlobEndpoint = new Uri($"{scheme}://127.0.0.1:{Port}/{Account}");
    }

    public int Port { get; }

    public Uri BlobEndpoint { get; }

    public static async Task<AzuriteServer> StartAsync()
    {
        var (process, dir, port) = await NpmServers.StartAsync("azurite", "azurite-blob", (dir, port) => Arguments(dir, port));
        return new AzuriteServer(process, dir, port, "http");
    }

    /// <summary>
    /// Azurite over HTTPS with <paramref name="certificate"/>, taking Microsoft Entra bearer tokens (<c>--oauth basic</c>:
    /// it checks a token's issuer, audience and lifetime, not its signature). Azurite allows OAuth only over HTTPS.
    /// </summary>
    public static async Task<AzuriteServer> StartWithOAuthAsync(X509Certificate2 certificate)
    {
        var (process, dir, port) = await NpmServers.StartAsync("azurite", "azurite-blob", (string dir, int port) =>
        {
            string cert = Path.Combine(dir, "cert.pem");
            string key = Path.Combine(dir, "key.pem");
            File.WriteAllText(cert, certificate.ExportCertificatePem());
            File.WriteAllText(key, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
            return (IEnumerable<string>)[.. Arguments(dir, port), "--cert", cert, "--key", key, "--oauth", "basic"];
        });
        return new AzuriteServer(process, dir, port, "https");
    }

    private static string[] Arguments(string dir, int port) =>
        ["--blobHost", "127.0.0.1", "--blobPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-l", dir, "--skipApiVersionCheck", "--silent"];

    public ValueTask DisposeAsync()
    {
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
