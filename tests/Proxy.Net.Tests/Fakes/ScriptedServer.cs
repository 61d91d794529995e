using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ProxyNet.Tests.Fakes;

/// <summary>
/// A hostile or odd peer on 127.0.0.1: each accepted connection runs the given script. A script that fails for any
/// reason but the client going away (an assertion, a parse error, a bug) fails the test that started it: disposing
/// the server throws what the script threw.
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private int _connections;

    public ScriptedServer(Func<NetworkStream, ScriptedServer, Task> script)
        : this((stream, self, _) => script(stream, self))
    {
    }

    /// <summary>A server on another loopback address (127.0.0.2: not in a bypass list that names 127.0.0.1).</summary>
    public ScriptedServer(Func<NetworkStream, ScriptedServer, Task> script, IPAddress address)
        : this((stream, self, _) => script(stream, self), address)
    {
    }

    /// <summary>A server whose script also gets the connection's number (1 for the first accepted).</summary>
    public ScriptedServer(Func<NetworkStream, ScriptedServer, int, Task> script, IPAddress? address = null)
    {
        _listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception)
                {
                    return;
                }

                int number = Interlocked.Increment(ref _connections);
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        try
                        {
                            await script(client.GetStream(), this, number);
                        }
                        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
                        {
                            // The client hung up or the server is stopping: what hostile-peer tests provoke.
                        }
                        catch (Exception e)
                        {
                            Failures.Enqueue(e);
                        }
                    }
                });
            }
        });
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Url => $"http://{((IPEndPoint)_listener.LocalEndpoint).Address}:{Port}";

    /// <summary>How many connections the server has accepted.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public ConcurrentQueue<string> Received { get; } = new();

    private ConcurrentQueue<Exception> Failures { get; } = new();

    public static async Task<string> ReadHeadAsync(Stream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1)
        {
            bytes.Add(one[0]);
            if (bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n')
            {
                break;
            }
        }

        return Encoding.ASCII.GetString(bytes.ToArray());
    }

    public static async Task<string?> ReadLineAsync(Stream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1)
        {
            if (one[0] == '\n')
            {
                return Encoding.ASCII.GetString(bytes.ToArray()).TrimEnd('\r');
            }

            bytes.Add(one[0]);
        }

        return null;
    }

    public static Task WriteAsync(Stream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
        if (!Failures.IsEmpty)
        {
            throw new AggregateException("The scripted server's script failed", Failures);
        }
    }
}
