using System.Text;

namespace ProxyNet.Tests.Fakes;

/// <summary>
/// An in-memory peer whose bytes arrive in the given segments: each read returns at most the rest of one segment,
/// so a test decides exactly how a reply is split across reads. After the last segment it reads as end-of-stream.
/// Writes are kept, and disposal is recorded (synchronous and asynchronous apart).
/// </summary>
internal sealed class ScriptedReadStream(params byte[][] segments) : Stream
{
    private readonly Queue<byte[]> _segments = new(segments);
    private byte[] _current = [];
    private int _offset;

    public MemoryStream Written { get; } = new();

    public bool Disposed { get; private set; }

    public bool DisposedAsynchronously { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Segments of Latin-1 text.</summary>
    public static ScriptedReadStream Of(params string[] segments) =>
        new(segments.Select(s => Encoding.Latin1.GetBytes(s)).ToArray());

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        while (_offset == _current.Length)
        {
            if (!_segments.TryDequeue(out var next))
            {
                return 0;
            }

            _current = next;
            _offset = 0;
        }

        int n = Math.Min(buffer.Length, _current.Length - _offset);
        _current.AsSpan(_offset, n).CopyTo(buffer);
        _offset += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override void Write(byte[] buffer, int offset, int count) => Written.Write(buffer, offset, count);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        DisposedAsynchronously = true;
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}
