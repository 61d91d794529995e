namespace ProxyNet.IntegrationTests.Servers;

/// <summary>azurite-blob (npm) on 127.0.0.1 with its well-known development account, storing in a temporary folder.</summary>
internal sealed class AzuriteServer : IAsyncDisposable
{
    public const string Account = "devstoreaccount1";

    // Azurite's published development key: the same on every machine, not a secret.
    public const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly ServerProcess _process;
    private readonly string _directory;

    private AzuriteServer(ServerProcess process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public Uri BlobEndpoint => new($"http://127.0.0.1:{Port}/{Account}");

    public static async Task<AzuriteServer> StartAsync()
    {
        var (process, dir, port) = await NpmServers.StartAsync(
            "azurite",
            "azurite-blob",
            (dir, port) => ["--blobHost", "127.0.0.1", "--blobPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-l", dir, "--skipApiVersionCheck", "--silent"]);
        return new AzuriteServer(process, dir, port);
    }

    public ValueTask DisposeAsync()
    {
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
