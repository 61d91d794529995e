using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using ProxyNet.Http;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.Tests.Ftp;

/// <summary>FTP servers that flood, lie or stall: bounded listings, QUIT that never comes, bad SIZE, leaked sockets.</summary>
public sealed class FtpHostileServerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_listing_streams_instead_of_being_buffered_whole()
    {
        // The server sends 4 MiB of listing and then holds the data connection open: a client that buffers the
        // listing before answering never returns the response.
        var release = new TaskCompletionSource();
        using var data = new TcpListener(IPAddress.Loopback, 0);
        await using var server = FakeFtp(data, new() { ["LIST"] = "150 listing" }, async (command, stream) =>
        {
            var line = "-rw-r--r-- 1 ftp ftp 1 Jan 01 00:00 file\r\n"u8.ToArray();
            for (int sent = 0; sent < 4 << 20; sent += line.Length)
            {
                await stream.WriteAsync(line);
            }

            await release.Task;
            return "226 done";
        });
        using var http = Client();
        using var response = await http.GetAsync($"ftp://127.0.0.1:{server.Port}/dir/", HttpCompletionOption.ResponseHeadersRead).WaitAsync(Patience);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1 << 16];
        long total = 0;
        while (total < 1 << 20)
        {
            total += await body.ReadAsync(buffer);
        }

        release.SetResult();
        while (await body.ReadAsync(buffer).AsTask().WaitAsync(Patience) is int read and > 0)
        {
            total += read;
        }

        Assert.True(total >= 4 << 20);
    }

    [Fact]
    public async Task A_listing_larger_than_the_clients_buffer_limit_is_refused_by_that_limit()
    {
        using var data = new TcpListener(IPAddress.Loopback, 0);
        await using var server = FakeFtp(data, new() { ["LIST"] = "150 listing" }, async (command, stream) =>
        {
            var chunk = new byte[64 << 10];
            Array.Fill(chunk, (byte)'x');
            for (int sent = 0; sent < 8 << 20; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk);
            }

            return "226 done";
        });
        using var http = Client();
        http.MaxResponseContentBufferSize = 1 << 20;
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync($"ftp://127.0.0.1:{server.Port}/dir/").WaitAsync(Patience));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("HEAD")]
    [InlineData("LIST")]
    public async Task A_server_that_never_answers_QUIT_does_not_hold_up_or_fail_finished_work(string operation)
    {
        using var data = new TcpListener(IPAddress.Loopback, 0);
        await using var server = FakeFtp(data, new() { ["QUIT"] = null, ["LIST"] = "150 listing" }, async (command, stream) =>
        {
            if (command == "STOR")
            {
                var sink = new byte[1024];
                while (await stream.ReadAsync(sink) > 0)
                {
                }
            }
            else
            {
                await stream.WriteAsync("12345"u8.ToArray());
            }

            return "226 done";
        }, size: "5");
        using var http = Client();
        string url = $"ftp://127.0.0.1:{server.Port}/{(operation == "LIST" ? "dir/" : "f")}";
        Task work = operation switch
        {
            "PUT" => Ok(http.PutAsync(url, new ByteArrayContent(new byte[5000]))),
            "HEAD" => Ok(http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url))),
            _ => http.GetStringAsync(url),
        };
        await work.WaitAsync(Patience);
        Assert.Contains("QUIT", server.Received);

        static async Task Ok(Task<HttpResponseMessage> send)
        {
            using var response = await send;
            response.EnsureSuccessStatusCode();
        }
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("99999999999999999999")]
    [InlineData("-5")]
    [InlineData("")]
    [InlineData("1e3")]
    public async Task A_SIZE_reply_that_is_not_a_size_is_a_protocol_error(string size)
    {
        using var data = new TcpListener(IPAddress.Loopback, 0);
        await using var server = FakeFtp(data, [], async (command, stream) =>
        {
            await stream.WriteAsync("12345"u8.ToArray());
            return "226 done";
        }, size: size);
        using var http = Client();
        var head = await Assert.ThrowsAsync<HttpRequestException>(() => http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"ftp://127.0.0.1:{server.Port}/f")).WaitAsync(Patience));
        Assert.Contains("SIZE", head.Message, StringComparison.Ordinal);
        var get = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync($"ftp://127.0.0.1:{server.Port}/f").WaitAsync(Patience));
        Assert.Contains("SIZE", get.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("%00")]
    [InlineData("%1b")]
    [InlineData("%7f")]
    [InlineData("%c2%85")]
    public async Task A_control_character_in_an_argument_is_refused_before_it_reaches_the_server(string escaped)
    {
        using var data = new TcpListener(IPAddress.Loopback, 0);
        await using var server = FakeFtp(data, [], (_, _) => Task.FromResult("226 done"));
        using var http = Client();
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync($"ftp://127.0.0.1:{server.Port}/a{escaped}b").WaitAsync(Patience));
        Assert.Contains("control character", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Received, l => l.StartsWith("SIZE", StringComparison.Ordinal) || l.StartsWith("RETR", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("refused")]
    [InlineData("garbage")]
    [InlineData("hang-up")]
    public async Task The_data_connection_is_closed_when_RETR_fails(string behaviour)
    {
        var closedByClient = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var data = new TcpListener(IPAddress.Loopback, 0);
        data.Start();
        int dataPort = ((IPEndPoint)data.LocalEndpoint).Port;
        var watch = Task.Run(async () =>
        {
            using var client = await data.AcceptTcpClientAsync();
            var one = new byte[1];
            closedByClient.TrySetResult(await client.GetStream().ReadAsync(one) == 0);
        });
        await using var server = new ScriptedServer(async (s, self) =>
        {
            await ScriptedServer.WriteAsync(s, "220 fake\r\n");
            while (await ScriptedServer.ReadLineAsync(s) is { } line)
            {
                string command = line.Split(' ')[0];
                if (command == "RETR")
                {
                    switch (behaviour)
                    {
                        case "refused":
                            await ScriptedServer.WriteAsync(s, "550 no such file\r\n");
                            break;
                        case "garbage":
                            await ScriptedServer.WriteAsync(s, "?? what\r\n");
                            break;
                        default:
                            return;
                    }

                    continue;
                }

                await ScriptedServer.WriteAsync(s, command switch
                {
                    "USER" => "230 ok\r\n",
                    "TYPE" => "200 ok\r\n",
                    "SIZE" => "213 5\r\n",
                    "EPSV" => $"229 Entering Extended Passive Mode (|||{dataPort}|)\r\n",
                    "QUIT" => "221 bye\r\n",
                    _ => "502 no\r\n",
                });
            }
        });
        using var http = Client();
        try
        {
            using var response = await http.GetAsync($"ftp://127.0.0.1:{server.Port}/f").WaitAsync(Patience);
        }
        catch (HttpRequestException)
        {
        }

        Assert.True(await closedByClient.Task.WaitAsync(Patience));
        await watch;
    }

    [Fact]
    public async Task A_server_that_echoes_the_password_does_not_get_it_into_a_message()
    {
        await using var server = new ScriptedServer(async (s, self) =>
        {
            await ScriptedServer.WriteAsync(s, "220 fake\r\n");
            while (await ScriptedServer.ReadLineAsync(s) is { } line)
            {
                await ScriptedServer.WriteAsync(s, line.StartsWith("USER", StringComparison.Ordinal)
                    ? "331 password please\r\n"
                    : $"530 login refused for {line}\r\n");
            }
        });
        using var http = Client();
        using var response = await http.GetAsync($"ftp://alice:hunter2@127.0.0.1:{server.Port}/f").WaitAsync(Patience);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("hunter2", response.ReasonPhrase + await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_echoes_the_password_in_a_malformed_reply_does_not_get_it_into_the_exception()
    {
        await using var server = new ScriptedServer(async (s, self) =>
        {
            await ScriptedServer.WriteAsync(s, "220 fake\r\n");
            while (await ScriptedServer.ReadLineAsync(s) is { } line)
            {
                await ScriptedServer.WriteAsync(s, line.StartsWith("USER", StringComparison.Ordinal) ? "331 password please\r\n" : $"?? {line}\r\n");
            }
        });
        using var http = Client();
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync($"ftp://alice:hunter2@127.0.0.1:{server.Port}/f").WaitAsync(Patience));
        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
    }

    private static HttpClient Client() =>
        new(ProxyNetHandler.Create(ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false }))) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>
    /// A fake passive-mode FTP server. <paramref name="replies"/> overrides the reply to a command (null: never
    /// answer it); for RETR, LIST and STOR it accepts the data connection, runs <paramref name="transfer"/> on it,
    /// closes it and sends the completion reply <paramref name="transfer"/> returned.
    /// </summary>
    private static ScriptedServer FakeFtp(TcpListener data, Dictionary<string, string?> replies, Func<string, NetworkStream, Task<string>> transfer, string size = "5")
    {
        data.Start();
        int dataPort = ((IPEndPoint)data.LocalEndpoint).Port;
        return new ScriptedServer(async (s, self) =>
        {
            await ScriptedServer.WriteAsync(s, "220 fake\r\n");
            while (await ScriptedServer.ReadLineAsync(s) is { } line)
            {
                string command = line.Split(' ')[0];
                self.Received.Enqueue(line);
                string? reply = replies.TryGetValue(command, out string? custom) ? custom : command switch
                {
                    "USER" => "230 ok",
                    "TYPE" or "CWD" => "200 ok",
                    "SIZE" => $"213 {size}",
                    "MDTM" => "213 20260101000000",
                    "EPSV" => $"229 Entering Extended Passive Mode (|||{dataPort}|)",
                    "RETR" or "STOR" or "LIST" => "150 go",
                    "QUIT" => "221 bye",
                    _ => "502 no",
                };
                if (reply is null)
                {
                    continue;
                }

                await ScriptedServer.WriteAsync(s, reply + "\r\n");
                if (command is "RETR" or "STOR" or "LIST")
                {
                    string completion;
                    using (var client = await data.AcceptTcpClientAsync())
                    {
                        completion = await transfer(command, client.GetStream());
                    }

                    await ScriptedServer.WriteAsync(s, completion + "\r\n");
                }
            }
        });
    }
}
