using System.Net;
using System.Text;
using ProxyNet.Tests.Fakes;
using ProxyNet.Tunnel;
using static ProxyNet.Tests.Fakes.StreamText;

namespace ProxyNet.Tests.Tunnel;

/// <summary>
/// Reading past a 407's body so the next login leg can use the same connection: Content-Length and chunked bodies
/// however they are split, the 64 KiB discard limit, and every way a body can make the connection unusable.
/// </summary>
public sealed class ProxyConnectionBodyTests
{
    private const string Ok = "HTTP/1.1 200 Connection established\r\n\r\n";
    private const string Chunked = "HTTP/1.1 407 Login\r\nTransfer-Encoding: chunked\r\n\r\n";

    [Theory]
    [InlineData(64)]
    [InlineData(16 * 1024)]
    public async Task A_Content_Length_body_split_across_reads_is_skipped(int limit)
    {
        var connection = Connection(limit, "HTTP/1.1 407 Login\r\nContent-Length: 13\r\n\r\nlogin", ", p", "lease", Ok + "banner");

        Assert.True(await DiscardFirstAsync(connection));
        Assert.Equal(HttpStatusCode.OK, (await connection.ReadResponseAsync(CancellationToken.None))!.Status);
        Assert.Equal("banner", await ReadToEndAsync(connection.Detach()));
    }

    [Theory]
    [InlineData(64)]
    [InlineData(16 * 1024)]
    public async Task A_chunked_body_with_extensions_and_trailers_is_skipped(int limit)
    {
        var connection = Connection(limit, Chunked + "5;x=y\r\n", "login\r\n8\r\n, please\r\n", "0\r\nX-Trailer: 1\r\n\r\n" + Ok);

        Assert.True(await DiscardFirstAsync(connection));
        Assert.Equal(HttpStatusCode.OK, (await connection.ReadResponseAsync(CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task A_chunk_whose_data_holds_a_blank_line_is_skipped_by_its_size()
    {
        var connection = Connection(16 * 1024, Chunked + "4\r\nab\r\n\r\n0\r\n\r\n" + Ok + "banner");

        Assert.True(await DiscardFirstAsync(connection));
        Assert.Equal(HttpStatusCode.OK, (await connection.ReadResponseAsync(CancellationToken.None))!.Status);
        Assert.Equal("banner", await ReadToEndAsync(connection.Detach()));
    }

    [Fact]
    public async Task A_chunked_body_after_a_header_over_4096_bytes_is_skipped()
    {
        string head = $"HTTP/1.1 407 Login\r\nX-Big: {new string('b', 5000)}\r\nTransfer-Encoding: chunked\r\n\r\n";
        var connection = Connection(16 * 1024, head, "5;x=y\r\nlogin\r\n0\r\nX-T: 1\r\n\r\n", Ok);

        Assert.True(await DiscardFirstAsync(connection));
        Assert.Equal(HttpStatusCode.OK, (await connection.ReadResponseAsync(CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task A_chunk_line_of_4096_bytes_without_its_end_makes_the_connection_unusable()
    {
        string head = $"HTTP/1.1 407 Login\r\nX-Big: {new string('b', 5000)}\r\nTransfer-Encoding: chunked\r\n\r\n";
        var connection = Connection(16 * 1024, head, "5;" + new string('x', 4094), "\r\nlogin\r\n0\r\n\r\n" + Ok);

        Assert.False(await DiscardFirstAsync(connection));
    }

    [Theory]
    [InlineData(65536, true)]
    [InlineData(65537, false)]
    public async Task A_Content_Length_body_up_to_64_KiB_is_skipped_and_a_larger_one_is_not(int length, bool skipped)
    {
        var connection = Connection(16 * 1024, $"HTTP/1.1 407 Login\r\nContent-Length: {length}\r\n\r\n", new string('z', length), Ok);

        Assert.Equal(skipped, await DiscardFirstAsync(connection));
    }

    [Theory]
    [InlineData(new[] { 0x10000 }, true)]
    [InlineData(new[] { 0x10001 }, false)]
    [InlineData(new[] { 0x9C40, 0x9C40 }, false)]
    public async Task A_chunked_body_up_to_64_KiB_is_skipped_and_a_larger_one_is_not(int[] chunks, bool skipped)
    {
        var body = new StringBuilder();
        foreach (int size in chunks)
        {
            body.Append($"{size:x}\r\n").Append('z', size).Append("\r\n");
        }

        var connection = Connection(16 * 1024, Chunked, body.Append("0\r\n\r\n").ToString(), Ok);

        Assert.Equal(skipped, await DiscardFirstAsync(connection));
    }

    [Theory]
    [InlineData("HTTP/1.1 407 Login\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("HTTP/1.0 407 Login\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("HTTP/1.1 407 Login\r\n\r\nbody to the end")]
    [InlineData("HTTP/1.1 407 Login\r\nContent-Length: 13\r\n\r\nlogin")]
    [InlineData(Chunked)]
    [InlineData(Chunked + "zz\r\nlogin\r\n0\r\n\r\n")]
    [InlineData(Chunked + "-5\r\nlogin\r\n0\r\n\r\n")]
    [InlineData(Chunked + ";x=y\r\nlogin\r\n0\r\n\r\n")]
    [InlineData(Chunked + "5\r\nlogin")]
    [InlineData(Chunked + "5\r\nloginXX\r\n0\r\n\r\n")]
    [InlineData(Chunked + "5\r\nlogin\r\n0\r\nX-Trailer: 1\r\n")]
    public async Task A_body_that_cannot_be_read_through_makes_the_connection_unusable(string reply)
    {
        var connection = Connection(16 * 1024, reply);

        Assert.False(await DiscardFirstAsync(connection));
    }

    private static ProxyConnection Connection(int limit, params string[] segments) =>
        new(ScriptedReadStream.Of(segments), "http://proxy:3128", "example.com:443", limit);

    private static async Task<bool> DiscardFirstAsync(ProxyConnection connection)
    {
        var response = await connection.ReadResponseAsync(CancellationToken.None);
        Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, response!.Status);
        return await connection.DiscardBodyAsync(response, CancellationToken.None);
    }
}
