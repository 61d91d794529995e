namespace ProxyNet.Ftp;

/// <summary>
/// A download's or a listing's body: the data connection, read as it arrives (nothing is buffered whole, however
/// much the server sends). At its end it reads the server's completion reply and checks the size, so a transfer
/// cut short is an error, not a silently short file.
/// </summary>
internal sealed class FtpDownloadStream(Stream data, FtpControlChannel control, long? expectedLength) : Stream
{
    private long _read;
    private bool _finished;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => expectedLength ?? throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_finished)
        {
            return 0;
        }

        int read = await data.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (read > 0)
        {
            _read += read;
            return read;
        }

        _finished = true;
        await data.DisposeAsync().ConfigureAwait(false);
        var done = await control.ReadReplyAsync(cancellationToken).ConfigureAwait(false);
        if (done.Code is < 200 or >= 300)
        {
            throw new IOException($"FTP transfer failed after {_read} bytes: {done}");
        }

        if (expectedLength is { } length && length != _read)
        {
            throw new IOException($"FTP transfer ended after {_read} of {length} bytes");
        }

        await control.QuitAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            data.Dispose();
            control.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await data.DisposeAsync().ConfigureAwait(false);
        await control.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
