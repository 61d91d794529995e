using System.Buffers;

namespace ProxyNet.Forwarding;

/// <summary>
/// A client's connection as serve reads it: request heads up to a bound, then body bytes, from one buffer in front of
/// the socket. What a client sent past a head (a pipelined request, the first bytes of a tunnel) stays buffered.
/// </summary>
internal sealed class ClientConnection(Stream stream, int maxHeadBytes) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private int _start;
    private int _end;

    public Stream Stream => stream;

    /// <summary>The next request head, or null when the client closed the connection before sending a byte of one.</summary>
    /// <exception cref="InvalidDataException">The head is larger than the bound (431), or the client closed inside it.</exception>
    public async Task<RequestHead?> ReadHeadAsync(CancellationToken cancellationToken)
    {
        // How far past _start the search has looked: an offset, since a fill may move the buffered bytes to the front.
        int searched = 0;
        while (true)
        {
            int end = _buffer.AsSpan(_start + searched, _end - _start - searched).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                int head = _start + searched + end;
                var parsed = RequestHead.Parse(_buffer.AsSpan(_start, head - _start));
                _start = head + 4;
                return parsed;
            }

            searched = Math.Max(0, _end - _start - 3);
            if (_end - _start >= maxHeadBytes)
            {
                throw new InvalidDataException($"the request head is larger than {maxHeadBytes} bytes");
            }

            if (await FillAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return _end == _start ? null : throw new InvalidDataException("the client closed the connection inside a request head");
            }
        }
    }

    /// <summary>A line of at most <paramref name="max"/> bytes without its CRLF (chunk sizes, trailers).</summary>
    public async Task<string> ReadLineAsync(int max, CancellationToken cancellationToken)
    {
        while (true)
        {
            int end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (end >= 0)
            {
                string line = System.Text.Encoding.Latin1.GetString(_buffer, _start, end);
                _start += end + 2;
                return line;
            }

            if (_end - _start >= max)
            {
                throw new InvalidDataException($"a chunk line is longer than {max} bytes");
            }

            if (await FillAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new InvalidDataException("the client closed the connection inside a chunked body");
            }
        }
    }

    /// <summary>Body bytes: what is buffered first, then the socket; 0 at the end of the stream.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (_end == _start)
        {
            // Large reads go straight into the caller's buffer.
            if (destination.Length >= _buffer.Length)
            {
                return await stream.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
            }

            if (await FillAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return 0;
            }
        }

        int count = Math.Min(destination.Length, _end - _start);
        _buffer.AsMemory(_start, count).CopyTo(destination);
        _start += count;
        return count;
    }

    /// <summary>Takes what is buffered (the first bytes of a tunnel, sent with the CONNECT).</summary>
    public ReadOnlyMemory<byte> TakeBuffered()
    {
        var taken = _buffer.AsMemory(_start, _end - _start).ToArray();
        _start = _end;
        return taken;
    }

    private async ValueTask<int> FillAsync(CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            // Room at the end: move what is left to the front, or grow the buffer up to the head bound.
            int left = _end - _start;
            byte[] target = left > _buffer.Length / 2 ? ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, maxHeadBytes + 16 * 1024)) : _buffer;
            Buffer.BlockCopy(_buffer, _start, target, 0, left);
            if (!ReferenceEquals(target, _buffer))
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = target;
            }

            _start = 0;
            _end = left;
        }

        int read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        _end += read;
        return read;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
