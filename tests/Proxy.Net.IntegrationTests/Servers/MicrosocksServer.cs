namespace ProxyNet.IntegrationTests.Servers;

/// <summary>microsocks, a SOCKS5 proxy; it prints "client[N] IP: connected to HOST:PORT" for every connection.</summary>
internal sealed class MicrosocksServer : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private MicrosocksServer(ServerProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Log => _process.Output;

    public static async Task<MicrosocksServer> StartAsync(string? user = null, string? password = null)
    {
        int port = ServerProcess.FreePort();
        List<string> args = ["-i", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (user is not null)
        {
            args.AddRange(["-u", user, "-P", password ?? string.Empty]);
        }

        var process = await ServerProcess.StartAsync("microsocks", "microsocks", args, port);
        return new MicrosocksServer(process, port);
    }

    public ValueTask DisposeAsync()
    {
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
