namespace ProxyNet.IntegrationTests.Servers;

/// <summary>s3rver (npm) on 127.0.0.1, storing in a temporary folder; any access key is accepted.</summary>
internal sealed class S3rverServer : IAsyncDisposable
{
    private readonly ServerProcess _process;
    private readonly string _directory;

    private S3rverServer(ServerProcess process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public static async Task<S3rverServer> StartAsync()
    {
        var (process, dir, port) = await NpmServers.StartAsync("s3rver", "s3rver", (dir, port) => ["-d", dir, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent"]);
        return new S3rverServer(process, dir, port);
    }

    public ValueTask DisposeAsync()
    {
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
