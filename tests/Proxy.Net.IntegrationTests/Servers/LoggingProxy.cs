namespace ProxyNet.IntegrationTests.Servers;

/// <summary>
/// A proxy process run from its own temporary folder on 127.0.0.1, whose <c>access.log</c> there proves what went
/// through it (and, by a missing line, what did not). Disposing stops it and removes the folder.
/// </summary>
internal abstract class LoggingProxy(ServerProcess process, string directory, int port) : IAsyncDisposable
{
    public string Directory { get; } = directory;

    public int Port { get; } = port;

    public string Url => $"http://127.0.0.1:{Port}";

    public string AccessLog => ServerProcess.ReadLog(Path.Combine(Directory, "access.log"));

    public ValueTask DisposeAsync()
    {
        process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A log file still held open by an exiting worker: the folder is in /tmp and goes with it.
        }

        return ValueTask.CompletedTask;
    }
}
