using System.Net;
using System.Text;
using ProxyNet.Tests.Fakes;
using ProxyNet.Tunnel;
using static ProxyNet.Tests.Fakes.StreamText;

namespace ProxyNet.Tests.Tunnel;

/// <summary>
/// Reading CONNECT answers however the proxy splits them across reads: small reads, several answers in one read,
/// headers over the initial buffer, the header limit, non-HTTP replies, and the bytes after the 200.
/// </summary>
public sealed class ProxyConnectionHeadTests
{
    private const string Interim = "HTTP/1.1 100 Continue\r\n\r\n";

    [Fact]
    public async Task A_header_that_arrives_one_byte_per_read_is_read_whole()
    {
        string reply = "HTTP/1.1 200 Connection established\r\nVia: 1.1 fake\r\n\r\nearly";
        var stream = new ScriptedReadStream(Encoding.ASCII.GetBytes(reply).Select(b => new[] { b }).ToArray());
        var connection = new ProxyConnection(stream, "http://proxy:3128", "example.com:443", 16 * 1024);

        var response = await connection.ReadResponseAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response!.Status);
        Assert.Equal("Connection established", response.Reason);
        Assert.Equal(["1.1 fake"], response.Values("Via"));
        Assert.Equal("early", await ReadToEndAsync(connection.Detach()));
    }

    [Fact]
    public async Task The_blank_line_may_straddle_two_reads()
    {
        var stream = ScriptedReadStream.Of("HTTP/1.1 200 OK\r\n\r", "\nafter");
        var connection = new ProxyConnection(stream, "http://proxy:3128", "example.com:443", 16 * 1024);

        var response = await connection.ReadResponseAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response!.Status);
        Assert.Equal("after", await ReadToEndAsync(connection.Detach()));
    }

    [Fact]
    public async Task An_interim_answer_and_the_200_in_one_read_are_both_read()
    {
        // 25 + 19 bytes in a 64-byte buffer: the second head starts mid-buffer.
        var stream = ScriptedReadStream.Of(Interim + "HTTP/1.1 200 OK\r\n\r\ntail");
        var connection = new ProxyConnection(stream, "http://proxy:3128", "example.com:443", 64);

        var response = await connection.ReadResponseAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response!.Status);
        Assert.Equal("OK", response.Reason);
        Assert.Equal("tail", await ReadToEndAsync(connection.Detach()));
    }

    [Fact]
    public async Task The_rest_of_a_header_after_an_interim_answer_is_read_into_the_same_buffer()
    {
        // The 200 starts 25 bytes into a 64-byte buffer and ends in the next read: the unread part moves to the front.
        var stream = ScriptedReadStream.Of(Interim + "HTTP/1.1 200 OK\r\nVia: fake\r\n", "X-Pad: 12345\r\n\r\ntail");
        var connection = new ProxyConnection(stream, "http://proxy:3128", "example.com:443", 64);

        var response = await connection.ReadResponseAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response!.Status);
        Assert.Equal(["fake"], response.Values("Via"));
        Assert.Equal(["12345"], response.Values("X-Pad"));
        Assert.Equal("tail", await ReadToEndAsync(connection.Detach()));
    }

    [Fact]
    public async Task A_header_over_4096_bytes_but_under_the_limit_is_accepted()
    {
        string big = new('v', 5000);
        var stream = ScriptedReadStream.Of($"HTTP/1.1 200 OK\r\nX-Big: {big}\r\n\r\nbanner");
        var connection = new ProxyConnection(stream, "http://proxy:3128", "example.com:443", 16 * 1024);

        var response = await connection.ReadResponseAsync(CancellationToken.None);

        Assert.Equal([big], response!.Values("X-Big"));
        Assert.Equal("banner", await ReadToEndAsync(connection.Detach()));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(6000)]
    [InlineData(16 * 1024)]
    public async Task A_header_of_exactly_the_limit_is_accepted_and_one_byte_more_is_refused(int limit)
    {
        const string start = "HTTP/1.1 200 OK\r\nX-Fill: ";
        string exact = start + new string('f', limit - start.Length - 4) + "\r\n\r\n";
        string over = start + new string('f', limit - start.Length - 3) + "\r\n\r\n";

        var accepted = await new ProxyConnection(ScriptedReadStream.Of(exact), "http://proxy:3128", "example.com:443", limit).ReadResponseAsync(CancellationToken.None);
        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() =>
            new ProxyConnection(ScriptedReadStream.Of(over), "http://proxy:3128", "example.com:443", limit).ReadResponseAsync(CancellationToken.None));

        Assert.Equal(HttpStatusCode.OK, accepted!.Status);
        Assert.Equal($"Proxy http://proxy:3128 sent a CONNECT response header over {limit} bytes for example.com:443 (refused as hostile)", error.Message);
    }

    [Theory]
    [InlineData(100, 150)]
    [InlineData(6000, 7000)]
    public async Task A_header_over_the_limit_is_refused_even_when_it_arrives_in_one_read(int limit, int size)
    {
        const string start = "HTTP/1.1 200 OK\r\nX-Fill: ";
        string head = start + new string('f', size - start.Length - 4) + "\r\n\r\n";
        var connection = new ProxyConnection(ScriptedReadStream.Of(head), "http://proxy:3128", "example.com:443", limit);

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => connection.ReadResponseAsync(CancellationToken.None));

        Assert.Contains($"over {limit} bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\x16\x03\x01\x02\x00 hello\r\nsecond line\r\n\r\n", "????? hello")]
    [InlineData("SSH-2.0-OpenSSH_9.6\r\nsecond: line\r\n\r\n", "SSH-2.0-OpenSSH_9.6")]
    public async Task A_reply_that_is_not_HTTP_is_quoted_by_its_first_line(string reply, string quoted)
    {
        var connection = new ProxyConnection(ScriptedReadStream.Of(reply), "http://proxy:3128", "example.com:443", 16 * 1024);

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => connection.ReadResponseAsync(CancellationToken.None));

        Assert.Equal($"Proxy http://proxy:3128 did not answer CONNECT example.com:443 with HTTP (got '{quoted}')", error.Message);
    }

    [Fact]
    public async Task A_long_non_HTTP_line_is_quoted_by_its_first_60_characters()
    {
        string line = string.Concat(Enumerable.Range(0, 10).Select(i => $"{i}abcdefghi"));
        var connection = new ProxyConnection(ScriptedReadStream.Of(line + "\r\n\r\n"), "http://proxy:3128", "example.com:443", 16 * 1024);

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => connection.ReadResponseAsync(CancellationToken.None));

        Assert.Contains($"(got '{line[..60]}')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_close_before_any_byte_is_no_answer_and_a_close_mid_header_is_an_error()
    {
        var silent = new ProxyConnection(ScriptedReadStream.Of(), "http://proxy:3128", "example.com:443", 16 * 1024);
        var half = new ProxyConnection(ScriptedReadStream.Of("HTTP/1.1 200 OK\r\nX-Half: "), "http://proxy:3128", "example.com:443", 16 * 1024);

        Assert.Null(await silent.ReadResponseAsync(CancellationToken.None));
        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => half.ReadResponseAsync(CancellationToken.None));
        Assert.Contains("closed the connection in the middle of its CONNECT response", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_closes_the_stream_until_the_tunnel_is_detached()
    {
        var open = ScriptedReadStream.Of("HTTP/1.1 403 No\r\n\r\n");
        var detached = ScriptedReadStream.Of("HTTP/1.1 200 OK\r\n\r\nbanner");
        var refused = new ProxyConnection(open, "http://proxy:3128", "example.com:443", 16 * 1024);
        var opened = new ProxyConnection(detached, "http://proxy:3128", "example.com:443", 16 * 1024);
        await refused.ReadResponseAsync(CancellationToken.None);
        await opened.ReadResponseAsync(CancellationToken.None);
        var tunnel = opened.Detach();

        await refused.DisposeAsync();
        await opened.DisposeAsync();

        Assert.True(open.DisposedAsynchronously);
        Assert.False(detached.Disposed);
        Assert.Equal("banner", await ReadToEndAsync(tunnel));
    }
}
