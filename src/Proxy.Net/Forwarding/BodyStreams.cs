using System.Globalization;

namespace ProxyNet.Forwarding;

/// <summary>A request body of a known length, read from the client's connection; never more than the length.</summary>
internal sealed class ContentLengthBody(ClientConnection connection, long length) : ReadOnlyBody
{
    private long _left = length;

    public override bool Finished => _left == 0;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_left == 0)
        {
            return 0;
        }

        int read = await connection.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _left)], cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            throw new IOException($"the client closed the connection {_left} bytes before the end of its body");
        }

        _left -= read;
        return read;
    }
}

/// <summary>A chunked request body, decoded (trailers read and dropped); chunk lines are bounded.</summary>
internal sealed class ChunkedBody(ClientConnection connection) : ReadOnlyBody
{
    private long _left;
    private bool _done;

    public override bool Finished => _done;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_done)
        {
            return 0;
        }

        if (_left == 0)
        {
            string line = await connection.ReadLineAsync(4096, cancellationToken).ConfigureAwait(false);
            int semicolon = line.IndexOf(';');
            string size = (semicolon >= 0 ? line[..semicolon] : line).Trim(' ', '\t');
            if (size.Length is 0 or > 15 || !long.TryParse(size, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _left))
            {
                throw new InvalidDataException("a chunk size is not a hexadecimal number");
            }

            if (_left == 0)
            {
                while ((await connection.ReadLineAsync(8192, cancellationToken).ConfigureAwait(false)).Length > 0)
                {
                    // Trailer fields: not forwarded.
                }

                _done = true;
                return 0;
            }
        }

        int read = await connection.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _left)], cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            throw new IOException("the client closed the connection inside a chunk");
        }

        _left -= read;
        if (_left == 0 && (await connection.ReadLineAsync(2, cancellationToken).ConfigureAwait(false)).Length != 0)
        {
            throw new InvalidDataException("a chunk does not end with CRLF");
        }

        return read;
    }
}

/// <summary>The read-only stream every request body is.</summary>
internal abstract class ReadOnlyBody : Stream
{
    /// <summary>True once the whole body has been read: only then can the connection carry another request.</summary>
    public abstract bool Finished { get; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
