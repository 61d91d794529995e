using System.Buffers;
using System.Net.Sockets;
using ProxyNet.Tunnel;

namespace ProxyNet.Forwarding;

/// <summary>
/// Copies bytes both ways between two connections until both sides have finished: an end of stream on one side is
/// passed on as a half-close of the other (TCP <c>shutdown(SHUT_WR)</c>) where the stream allows it, so a client that
/// sends its request and half-closes still gets the whole answer. Idle for the idle timeout in both
/// directions, or a failure in either, closes both.
/// </summary>
internal static class Relay
{
    private const int BufferSize = 64 * 1024;

    public static async Task RunAsync(Stream client, Stream upstream, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(idleTimeout);
        var up = CopyAsync(client, upstream, idle, idleTimeout);
        var down = CopyAsync(upstream, client, idle, idleTimeout);
        try
        {
            // The first direction to fail ends both: the other is cancelled instead of waiting for its idle timeout.
            var first = await Task.WhenAny(up, down).ConfigureAwait(false);
            if (first.IsFaulted || first.IsCanceled)
            {
                await idle.CancelAsync().ConfigureAwait(false);
            }

            await Task.WhenAll(up, down).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A peer that went away, or the idle limit: both sides are closed by the caller.
        }
    }

    private static async Task CopyAsync(Stream from, Stream to, CancellationTokenSource idle, TimeSpan idleTimeout)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, idle.Token).ConfigureAwait(false)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), idle.Token).ConfigureAwait(false);
                idle.CancelAfter(idleTimeout);
            }

            HalfClose(to);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Ends the sending side of <paramref name="stream"/> when it is plain TCP; a TLS stream stays open until both are closed.</summary>
    internal static void HalfClose(Stream stream)
    {
        var socket = stream switch
        {
            NetworkStream network => network.Socket,
            TunnelStream tunnel => tunnel.PlainSocket,
            _ => null,
        };
        try
        {
            socket?.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed: nothing to tell.
        }
    }
}
