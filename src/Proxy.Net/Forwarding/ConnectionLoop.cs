using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ProxyNet.Forwarding;

/// <summary>
/// The accepting side that <see cref="ProxyServer"/> and <see cref="ProxyTunnelListener"/> share: one listening
/// socket, each admitted connection served on its own task, the tasks kept so that disposing can wait for them. A
/// disposed socket or a stop ends the loop at once (no spinning on a closed socket while connections drain).
/// </summary>
internal sealed class ConnectionLoop
{
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private long _next;

    public int Count => _connections.Count;

    /// <summary>The connections being served now, to wait for.</summary>
    public Task All => Task.WhenAll(_connections.Values);

    /// <summary>A socket bound to <paramref name="endPoint"/> and listening; nothing is left open when that fails.</summary>
    public static Socket Listen(IPEndPoint endPoint, int backlog)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endPoint);
            socket.Listen(backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Accepts until <paramref name="stop"/> or the socket's disposal; a connection <paramref name="admit"/> refuses is closed at once.</summary>
    public async Task RunAsync(Socket listener, Func<Socket, bool> admit, Func<Socket, Task> serve, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // Out of descriptors, or a connection reset before it was taken: a moment's pause, then on.
                await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            if (!admit(client))
            {
                client.Dispose();
                continue;
            }

            long id = Interlocked.Increment(ref _next);
            var done = new TaskCompletionSource();
            _connections[id] = done.Task;
            _ = Task.Run(async () =>
            {
                try
                {
                    await serve(client).ConfigureAwait(false);
                }
                finally
                {
                    _connections.TryRemove(id, out _);
                    done.SetResult();
                }
            }, CancellationToken.None);
        }
    }
}
