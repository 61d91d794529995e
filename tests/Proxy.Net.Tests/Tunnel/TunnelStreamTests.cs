using System.Text;
using ProxyNet.Tests.Fakes;
using ProxyNet.Tunnel;

namespace ProxyNet.Tests.Tunnel;

/// <summary>The tunnel stream: the bytes that came with the 200 first, then the connection, both ways.</summary>
public sealed class TunnelStreamTests
{
    [Fact]
    public void It_reads_and_writes_and_does_not_seek()
    {
        using var tunnel = new TunnelStream(new MemoryStream(), ReadOnlyMemory<byte>.Empty);

        Assert.True(tunnel.CanRead);
        Assert.True(tunnel.CanWrite);
        Assert.False(tunnel.CanSeek);
        Assert.Throws<NotSupportedException>(() => tunnel.Length);
        Assert.Throws<NotSupportedException>(() => tunnel.Seek(0, SeekOrigin.Begin));
    }

    [Fact]
    public void A_synchronous_read_returns_the_early_bytes_then_the_connection()
    {
        using var tunnel = new TunnelStream(ScriptedReadStream.Of("later"), Encoding.ASCII.GetBytes("early"));
        var buffer = new byte[3];

        Assert.Equal("ear", Encoding.ASCII.GetString(buffer, 0, tunnel.Read(buffer, 0, 3)));
        Assert.Equal("ly", Encoding.ASCII.GetString(buffer, 0, tunnel.Read(buffer, 0, 3)));
        Assert.Equal("lat", Encoding.ASCII.GetString(buffer, 0, tunnel.Read(buffer, 0, 3)));
        Assert.Equal("er", Encoding.ASCII.GetString(buffer, 0, tunnel.Read(buffer, 0, 3)));
        Assert.Equal(0, tunnel.Read(buffer, 0, 3));
    }

    [Fact]
    public async Task An_asynchronous_read_returns_the_early_bytes_then_the_connection()
    {
        await using var tunnel = new TunnelStream(ScriptedReadStream.Of("later"), Encoding.ASCII.GetBytes("early"));
        var buffer = new byte[16];

        Assert.Equal("early", Encoding.ASCII.GetString(buffer, 0, await tunnel.ReadAsync(buffer)));
        Assert.Equal("later", Encoding.ASCII.GetString(buffer, 0, await tunnel.ReadAsync(buffer.AsMemory())));
        Assert.Equal(0, await tunnel.ReadAsync(buffer));
    }

    [Fact]
    public async Task Writes_go_to_the_connection()
    {
        var inner = ScriptedReadStream.Of();
        await using var tunnel = new TunnelStream(inner, Encoding.ASCII.GetBytes("early"));

        tunnel.Write(Encoding.ASCII.GetBytes("a"), 0, 1);
        tunnel.Write("b"u8);
        await tunnel.WriteAsync("d"u8.ToArray().AsMemory());
        await tunnel.FlushAsync();

        Assert.Equal("abd", Encoding.ASCII.GetString(inner.Written.ToArray()));
    }

    [Fact]
    public void Dispose_closes_the_connection()
    {
        var inner = ScriptedReadStream.Of();
        var tunnel = new TunnelStream(inner, ReadOnlyMemory<byte>.Empty);

        tunnel.Dispose();

        Assert.True(inner.Disposed);
    }

    [Fact]
    public async Task DisposeAsync_closes_the_connection_asynchronously()
    {
        var inner = ScriptedReadStream.Of();
        var tunnel = new TunnelStream(inner, ReadOnlyMemory<byte>.Empty);

        await tunnel.DisposeAsync();

        Assert.True(inner.DisposedAsynchronously);
        Assert.True(inner.Disposed);
    }
}
