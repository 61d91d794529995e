using System.Net;
using System.Net.Sockets;
using System.Text;
using ProxyNet.Http;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.Tests.Ftp;

/// <summary>FTP client behaviour that a real server will not show: hostile PASV replies, injection attempts.</summary>
public sealed class FtpTransportTests
{
    [Fact]
    public async Task The_address_in_a_PASV_reply_is_ignored_and_the_data_goes_to_the_control_host()
    {
        using var data = new TcpListener(IPAddress.Loopback, 0);
        data.Start();
        int dataPort = ((IPEndPoint)data.LocalEndpoint).Port;
        var serveData = Task.Run(async () =>
        {
            using var client = await data.AcceptTcpClientAsync();
            await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes("payload"));
        });
        await using var server = new ScriptedServer(async (s, self) =>
        {
            await ScriptedServer.WriteAsync(s, "220 fake\r\n");
            while (await ScriptedServer.ReadLineAsync(s) is { } line)
            {
                self.Received.Enqueue(line);
                string reply = line.Split(' ')[0] switch
                {
                    "USER" => "331 pass please\r\n",
                    "PASS" => "230 ok\r\n",
                    "TYPE" => "200 binary\r\n",
                    "SIZE" => "213 7\r\n",
                    "EPSV" => "500 no EPSV here\r\n",
                    // A hostile server points the data connection at another machine.
                    "PASV" => $"227 Entering Passive Mode (10,255,255,1,{dataPort / 256},{dataPort % 256})\r\n",
                    "RETR" => "150 here it comes\r\n",
                    "QUIT" => "221 bye\r\n",
                    _ => "502 no\r\n",
                };
                await ScriptedServer.WriteAsync(s, reply);
                if (line.StartsWith("RETR", StringComparison.Ordinal))
                {
                    await serveData;
                    await ScriptedServer.WriteAsync(s, "226 done\r\n");
                }
            }
        });
        using var client = new HttpClient(ProxyNetHandler.Create(ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false })));
        Assert.Equal("payload", await client.GetStringAsync($"ftp://127.0.0.1:{server.Port}/file.bin"));
        Assert.Contains("USER anonymous", server.Received);
    }

    [Fact]
    public async Task A_path_with_CR_LF_is_refused_before_it_reaches_the_server()
    {
        await using var server = new ScriptedServer(async (s, self) =>
        {
            await ScriptedServer.WriteAsync(s, "220 fake\r\n");
            while (await ScriptedServer.ReadLineAsync(s) is { } line)
            {
                self.Received.Enqueue(line);
                await ScriptedServer.WriteAsync(s, line.StartsWith("USER", StringComparison.Ordinal) ? "230 ok\r\n" : "200 ok\r\n");
            }
        });
        using var client = new HttpClient(ProxyNetHandler.Create(ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false })));
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync($"ftp://127.0.0.1:{server.Port}/a%0d%0aDELE%20x"));
        Assert.DoesNotContain(server.Received, l => l.StartsWith("DELE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_transfer_cut_short_is_an_error_not_a_short_file()
    {
        using var data = new TcpListener(IPAddress.Loopback, 0);
        await using var server = PassiveServer(data, size: 1000, async stream =>
        {
            await stream.WriteAsync(new byte[10]);
            return "426 connection closed; transfer aborted";
        });
        using var http = new HttpClient(ProxyNetHandler.Create(ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false })));
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetByteArrayAsync($"ftp://127.0.0.1:{server.Port}/f"));
        Assert.Contains("426", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_download_that_trickles_in_below_the_bulk_read_size_still_arrives_whole()
    {
        // Far less than the 256 KiB the reader asks the kernel to gather, in two pieces with a pause: the close of
        // the data connection must still deliver both.
        using var data = new TcpListener(IPAddress.Loopback, 0);
        await using var server = PassiveServer(data, size: 10, async stream =>
        {
            await stream.WriteAsync("part1"u8.ToArray());
            await Task.Delay(300);
            await stream.WriteAsync("part2"u8.ToArray());
            return "226 done";
        });
        using var http = new HttpClient(ProxyNetHandler.Create(ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false })));
        Assert.Equal("part1part2", await http.GetStringAsync($"ftp://127.0.0.1:{server.Port}/f"));
    }

    [Fact]
    public void Bulk_reads_are_asked_for_on_plain_TCP_data_connections_only()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.Connect((IPEndPoint)listener.LocalEndpoint);
        using var accepted = listener.AcceptSocket();
        int before = (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveLowWater)!;

        // Through TLS to an https:// proxy the tunnel is no plain socket: nothing is changed.
        using var tls = new System.Net.Security.SslStream(new NetworkStream(socket, ownsSocket: false));
        ProxyNet.Ftp.FtpConnector.PreferBulkReads(new ProxyNet.Tunnel.TunnelStream(tls, ReadOnlyMemory<byte>.Empty));
        Assert.Equal(before, (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveLowWater)!);

        ProxyNet.Ftp.FtpConnector.PreferBulkReads(new ProxyNet.Tunnel.TunnelStream(new NetworkStream(socket, ownsSocket: false), ReadOnlyMemory<byte>.Empty));
        Assert.Equal(256 * 1024, (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveLowWater)!);
    }

    /// <summary>
    /// A fake FTP server offering one file of <paramref name="size"/> bytes in extended passive mode: on RETR it
    /// accepts the data connection on <paramref name="data"/>, lets <paramref name="serve"/> write to it, closes it and sends the completion
    /// reply <paramref name="serve"/> returned.
    /// </summary>
    private static ScriptedServer PassiveServer(TcpListener data, int size, Func<NetworkStream, Task<string>> serve)
    {
        data.Start();
        int dataPort = ((IPEndPoint)data.LocalEndpoint).Port;
        return new ScriptedServer(async (s, _) =>
        {
            await ScriptedServer.WriteAsync(s, "220 fake\r\n");
            while (await ScriptedServer.ReadLineAsync(s) is { } line)
            {
                string command = line.Split(' ')[0];
                await ScriptedServer.WriteAsync(s, command switch
                {
                    "USER" => "230 ok\r\n",
                    "TYPE" => "200 ok\r\n",
                    "SIZE" => $"213 {size}\r\n",
                    "EPSV" => $"229 Entering Extended Passive Mode (|||{dataPort}|)\r\n",
                    "RETR" => "150 go\r\n",
                    "QUIT" => "221 bye\r\n",
                    _ => "502 no\r\n",
                });
                if (command == "RETR")
                {
                    string completion;
                    using (var client = await data.AcceptTcpClientAsync())
                    {
                        completion = await serve(client.GetStream());
                    }

                    await ScriptedServer.WriteAsync(s, completion + "\r\n");
                }
            }
        });
    }
}
