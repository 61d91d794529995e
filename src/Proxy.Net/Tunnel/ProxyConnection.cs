using System.Globalization;
using System.Text;

namespace ProxyNet.Tunnel;

/// <summary>
/// One connection to a proxy while a tunnel is set up: writes CONNECT requests, reads answers (skipping 1xx),
/// discards 407 bodies so the next leg can use the same connection, and finally hands over the stream with
/// whatever bytes arrived after the 200.
/// </summary>
internal sealed class ProxyConnection(Stream stream, string proxy, string authority, int maxHeaderBytes) : IAsyncDisposable
{
    /// <summary>A 407 body larger than this is not read through: the connection is dropped and a new one opened.</summary>
    private const long MaxDiscardedBody = 64 * 1024;

    private byte[] _buffer = new byte[Math.Min(maxHeaderBytes, 4096)];
    private int _start;
    private int _end;
    private bool _detached;

    public Stream Stream => stream;

    public Task WriteAsync(string request, CancellationToken cancellationToken) =>
        stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken).AsTask();

    /// <summary>
    /// The next final answer: interim 1xx answers (<c>100 Continue</c>) are read past. Null when the proxy closed
    /// the connection before sending a byte of it.
    /// </summary>
    public async Task<ProxyResponse?> ReadResponseAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var response = await ReadHeadAsync(cancellationToken).ConfigureAwait(false);
            if (response is null || !response.IsInformational)
            {
                return response;
            }
        }
    }

    /// <summary>Reads and drops the body of a non-200 answer. False when the connection cannot carry another request.</summary>
    public async Task<bool> DiscardBodyAsync(ProxyResponse response, CancellationToken cancellationToken)
    {
        if (!response.KeepsConnection)
        {
            return false;
        }

        long? length = response.BodyLength;
        if (length is null or > MaxDiscardedBody)
        {
            return false;
        }

        if (length >= 0)
        {
            return await SkipAsync(length.Value, cancellationToken).ConfigureAwait(false);
        }

        long total = 0;
        while (true)
        {
            string? sizeLine = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            int semicolon = sizeLine?.IndexOf(';', StringComparison.Ordinal) ?? -1;
            string? sizeText = semicolon >= 0 ? sizeLine![..semicolon] : sizeLine;
            if (sizeText is null || !long.TryParse(sizeText.Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long size) || size < 0)
            {
                return false;
            }

            total += size;
            if (total > MaxDiscardedBody)
            {
                return false;
            }

            if (size == 0)
            {
                // Trailers up to the blank line.
                while (true)
                {
                    string? trailer = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
                    if (trailer is null)
                    {
                        return false;
                    }

                    if (trailer.Length == 0)
                    {
                        return true;
                    }
                }
            }

            if (!await SkipAsync(size, cancellationToken).ConfigureAwait(false) || await ReadLineAsync(cancellationToken).ConfigureAwait(false) != string.Empty)
            {
                return false;
            }
        }
    }

    /// <summary>The tunnel: the bytes already read past the 200 header, then the connection.</summary>
    public TunnelStream Detach()
    {
        _detached = true;
        return new TunnelStream(stream, _buffer.AsMemory(_start, _end - _start).ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        if (!_detached)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<ProxyResponse?> ReadHeadAsync(CancellationToken cancellationToken)
    {
        // Bytes after _start already searched for the blank line (less three, in case it straddles two reads).
        int searched = 0;
        while (true)
        {
            int from = _start + searched;
            int found = _buffer.AsSpan(from, _end - from).IndexOf("\r\n\r\n"u8);
            if (found >= 0)
            {
                int end = from + found;
                string head = Encoding.Latin1.GetString(_buffer, _start, end - _start);
                _start = end + 4;
                return ProxyResponse.Parse(head) ?? throw new ProxyTunnelException(
                    $"Proxy {proxy} did not answer CONNECT {authority} with HTTP (got '{new string(head.Split("\r\n")[0].Take(60).Select(c => char.IsControl(c) ? '?' : c).ToArray())}')");
            }

            searched = Math.Max(0, _end - _start - 3);
            if (_end - _start >= maxHeaderBytes)
            {
                throw new ProxyTunnelException($"Proxy {proxy} sent a CONNECT response header over {maxHeaderBytes} bytes for {authority} (refused as hostile)");
            }

            if (await FillAsync(maxHeaderBytes, cancellationToken).ConfigureAwait(false) == 0)
            {
                return _end == _start
                    ? null
                    : throw new ProxyTunnelException($"Proxy {proxy} closed the connection in the middle of its CONNECT response for {authority}");
            }
        }
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int newline = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (newline >= 0)
            {
                string line = Encoding.Latin1.GetString(_buffer, _start, newline);
                _start += newline + 2;
                return line;
            }

            if (_end - _start >= 4096 || await FillAsync(4096, cancellationToken).ConfigureAwait(false) == 0)
            {
                return null;
            }
        }
    }

    private async Task<bool> SkipAsync(long count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_end == _start && await FillAsync(4096, cancellationToken).ConfigureAwait(false) == 0)
            {
                return false;
            }

            int n = (int)Math.Min(count, _end - _start);
            _start += n;
            count -= n;
        }

        return true;
    }

    /// <summary>Reads more bytes after the unread ones, growing the buffer up to <paramref name="limit"/> bytes of unread data.</summary>
    private async Task<int> FillAsync(int limit, CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length, Math.Min(_buffer.Length * 2, limit)));
        }

        int read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        _end += read;
        return read;
    }
}
