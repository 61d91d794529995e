using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ProxyNet.Ftp;
using ProxyNet.Http;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.Tests.Ftp;

/// <summary>
/// The FTP client's protocol, reply by reply, through <see cref="HttpClient"/>: login, passive mode, HEAD, GET of a
/// file and of a directory, PUT, the FTP replies as HTTP statuses, and the download stream's end and disposal.
/// </summary>
public sealed class FtpProtocolTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    // ---- greeting and login ----

    [Fact]
    public async Task A_greeting_other_than_220_is_the_failure_response_and_nothing_is_sent()
    {
        await using var server = new FakeFtpServer(greeting: "421 too many users");
        using var http = Client();
        using var response = await http.GetAsync(server.Url("/f"));
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("FTP 421 too many users", response.ReasonPhrase);
        Assert.Equal("421 too many users", await response.Content.ReadAsStringAsync());
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task A_USER_answered_230_logs_in_without_PASS()
    {
        await using var server = new FakeFtpServer();
        using var http = Client();
        Assert.Equal("12345", await http.GetStringAsync(server.Url("/f")));
        Assert.Equal(new[] { "USER anonymous", "TYPE I", "SIZE /f", "EPSV", "RETR /f", "QUIT" }, server.Received);
    }

    [Fact]
    public async Task A_USER_answered_331_is_followed_by_PASS()
    {
        await using var server = new FakeFtpServer(new() { ["USER"] = "331 password please" });
        using var http = Client();
        Assert.Equal("12345", await http.GetStringAsync(server.Url("/f")));
        Assert.Equal(new[] { "USER anonymous", "PASS anonymous@", "TYPE I", "SIZE /f", "EPSV", "RETR /f", "QUIT" }, server.Received);
    }

    [Fact]
    public async Task A_refused_login_is_401_with_the_servers_words()
    {
        await using var server = new FakeFtpServer(new() { ["USER"] = "331 password please", ["PASS"] = "530 Login incorrect" });
        using var http = Client();
        using var response = await http.GetAsync(server.Url("/f"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("FTP 530 Login incorrect", response.ReasonPhrase);
        Assert.Equal("530 Login incorrect", await response.Content.ReadAsStringAsync());
        Assert.NotNull(response.RequestMessage);
        Assert.DoesNotContain("TYPE I", server.Received);
    }

    [Theory]
    [InlineData("332 need account", HttpStatusCode.BadGateway)]
    [InlineData("220 hello again", HttpStatusCode.BadGateway)]
    [InlineData("530 no anonymous", HttpStatusCode.Unauthorized)]
    public async Task A_USER_reply_other_than_230_or_331_is_a_failure(string reply, HttpStatusCode status)
    {
        await using var server = new FakeFtpServer(new() { ["USER"] = reply });
        using var http = Client();
        using var response = await http.GetAsync(server.Url("/f"));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal($"FTP {reply}", response.ReasonPhrase);
        Assert.Equal(new[] { "USER anonymous" }, server.Received);
    }

    [Fact]
    public async Task A_refused_TYPE_is_a_failure()
    {
        await using var server = new FakeFtpServer(new() { ["TYPE"] = "504 no binary here" });
        using var http = Client();
        using var response = await http.GetAsync(server.Url("/f"));
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("FTP 504 no binary here", response.ReasonPhrase);
        Assert.Equal(new[] { "USER anonymous", "TYPE I" }, server.Received);
    }

    [Theory]
    // The user and password in the URL are unescaped, and win over the client's credentials.
    [InlineData("b%20ob:s%40cret:x@", "carol:not-this", "USER b ob", "PASS s@cret:x")]
    // A user without a password in the URL sends an empty PASS.
    [InlineData("bob@", "", "USER bob", "PASS ")]
    // An empty user before the colon in the URL is sent as it is.
    [InlineData(":pw@", "", "USER ", "PASS pw")]
    // The client's FTP credentials log in when the URL has none.
    [InlineData("", "carol:pw", "USER carol", "PASS pw")]
    // A credential cache is asked for Basic credentials of the URL.
    [InlineData("", "cache dave:pw2", "USER dave", "PASS pw2")]
    // A credential with an empty user name logs in anonymously.
    [InlineData("", ":pw", "USER anonymous", "PASS anonymous@")]
    public async Task The_login_comes_from_the_URL_then_the_clients_credentials_then_anonymous(string userInfo, string credentials, string user, string pass)
    {
        await using var server = new FakeFtpServer(new() { ["USER"] = "331 password please" });
        ICredentials? login = null;
        if (credentials.StartsWith("cache ", StringComparison.Ordinal))
        {
            string[] parts = credentials["cache ".Length..].Split(':');
            login = new CredentialCache { { new Uri($"ftp://127.0.0.1:{server.Port}/"), "Basic", new NetworkCredential(parts[0], parts[1]) } };
        }
        else if (credentials.Length > 0)
        {
            string[] parts = credentials.Split(':');
            login = new NetworkCredential(parts[0], parts[1]);
        }

        using var http = Client(new ProxyClientOptions { FtpCredentials = login });
        Assert.Equal("12345", await http.GetStringAsync($"ftp://{userInfo}127.0.0.1:{server.Port}/f"));
        Assert.Equal(user, server.Received.ElementAt(0));
        Assert.Equal(pass, server.Received.ElementAt(1));
    }

    // ---- methods ----

    [Theory]
    [InlineData("POST")]
    [InlineData("DELETE")]
    public async Task A_method_other_than_GET_HEAD_and_PUT_is_405(string method)
    {
        await using var server = new FakeFtpServer();
        using var http = Client();
        using var request = new HttpRequestMessage(new HttpMethod(method), server.Url("/f")) { Content = new StringContent("x") };
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("FTP supports GET, HEAD and PUT", response.ReasonPhrase);
        Assert.Same(request, response.RequestMessage);
        Assert.Equal(new[] { "USER anonymous", "TYPE I" }, server.Received);
        await server.SessionsEnded.WaitAsync(Patience);
    }

    // ---- HEAD ----

    [Theory]
    [InlineData("213 20240102030405")]
    [InlineData("213 20240102030405.123")]
    [InlineData("213  20240102030405 ")]
    public async Task HEAD_gives_the_size_and_the_modification_time(string mdtm)
    {
        await using var server = new FakeFtpServer(new() { ["SIZE"] = "213 1234", ["MDTM"] = mdtm });
        using var http = Client();
        using var request = new HttpRequestMessage(HttpMethod.Head, server.Url("/dir/a%20b.bin"));
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Same(request, response.RequestMessage);
        Assert.Equal(1234, response.Content.Headers.ContentLength);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), response.Content.Headers.LastModified);
        Assert.Equal(new[] { "USER anonymous", "TYPE I", "SIZE /dir/a b.bin", "MDTM /dir/a b.bin", "QUIT" }, server.Received);
    }

    [Theory]
    [InlineData("550 not available")]
    [InlineData("213 yesterday")]
    [InlineData("213 2024")]
    [InlineData("213 ")]
    [InlineData("250 20240102030405")]
    public async Task HEAD_without_a_readable_MDTM_has_no_Last_Modified(string mdtm)
    {
        await using var server = new FakeFtpServer(new() { ["SIZE"] = "213 7", ["MDTM"] = mdtm });
        using var http = Client();
        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, server.Url("/f")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(7, response.Content.Headers.ContentLength);
        Assert.Null(response.Content.Headers.LastModified);
        Assert.Contains("QUIT", server.Received);
    }

    [Theory]
    [InlineData("550 no such file", HttpStatusCode.NotFound)]
    [InlineData("500 unknown command", HttpStatusCode.BadGateway)]
    [InlineData("212 7", HttpStatusCode.BadGateway)]
    public async Task HEAD_of_a_file_whose_SIZE_fails_is_the_mapped_status(string size, HttpStatusCode status)
    {
        await using var server = new FakeFtpServer(new() { ["SIZE"] = size });
        using var http = Client();
        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, server.Url("/f")));
        Assert.Equal(status, response.StatusCode);
        Assert.DoesNotContain("MDTM /f", server.Received);
    }

    [Fact]
    public async Task A_SIZE_reply_with_spaces_around_the_number_is_read()
    {
        await using var server = new FakeFtpServer(new() { ["SIZE"] = "213  42 " });
        using var http = Client();
        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, server.Url("/f")));
        Assert.Equal(42, response.Content.Headers.ContentLength);
    }

    [Theory]
    [InlineData("213 12x", "12x")]
    [InlineData("213 ", "")]
    [InlineData("213 -1", "-1")]
    [InlineData("213 +1", "+1")]
    [InlineData("213 1 2", "1 2")]
    [InlineData("213 99999999999999999999", "99999999999999999999")]
    public async Task A_SIZE_reply_that_is_not_a_number_is_a_protocol_error_in_words(string size, string shown)
    {
        string expected = $"The FTP server sent an invalid SIZE reply: '{shown}' is not a size in bytes (protocol error)";
        await using var server = new FakeFtpServer(new() { ["SIZE"] = size });
        using var http = Client();
        var head = await Assert.ThrowsAsync<HttpRequestException>(() => http.SendAsync(new HttpRequestMessage(HttpMethod.Head, server.Url("/f"))));
        Assert.Equal(expected, head.Message);
        var get = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(server.Url("/f")));
        Assert.Equal(expected, get.Message);
    }

    // ---- GET ----

    [Fact]
    public async Task GET_of_a_file_is_octet_stream_with_the_SIZE_as_Content_Length()
    {
        await using var server = new FakeFtpServer { File = Encoding.ASCII.GetBytes("hello, ftp") };
        using var http = Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, server.Url("/pub/a%20b.txt"));
        // Headers only: a buffered body would have its length counted by HttpClient whatever the SIZE said.
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Same(request, response.RequestMessage);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(10, response.Content.Headers.ContentLength);
        Assert.Equal("hello, ftp", await response.Content.ReadAsStringAsync());
        Assert.Contains("RETR /pub/a b.txt", server.Received);
    }

    [Fact]
    public async Task GET_of_a_file_without_SIZE_has_no_Content_Length_and_still_downloads()
    {
        await using var server = new FakeFtpServer(new() { ["SIZE"] = "550 SIZE not allowed in ASCII mode" }) { File = Encoding.ASCII.GetBytes("no size") };
        using var http = Client();
        using var response = await http.GetAsync(server.Url("/f"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentLength);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("no size", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GET_accepts_125_as_the_start_of_the_transfer()
    {
        await using var server = new FakeFtpServer(new() { ["RETR"] = "125 data connection already open" });
        using var http = Client();
        Assert.Equal("12345", await http.GetStringAsync(server.Url("/f")));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/pub/my%20dir/")]
    public async Task GET_of_a_directory_changes_to_it_and_lists_it_as_utf8_text(string path)
    {
        await using var server = new FakeFtpServer { File = Encoding.UTF8.GetBytes("-rw-r--r-- 1 ftp ftp 5 Jan 01 00:00 f\r\n") };
        using var http = Client();
        using var response = await http.GetAsync(server.Url(path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("-rw-r--r-- 1 ftp ftp 5 Jan 01 00:00 f\r\n", await response.Content.ReadAsStringAsync());
        Assert.Equal(new[] { "USER anonymous", "TYPE I", $"CWD {Uri.UnescapeDataString(path)}", "EPSV", "LIST", "QUIT" }, server.Received);
    }

    [Fact]
    public async Task GET_of_a_directory_the_server_refuses_to_enter_is_404()
    {
        await using var server = new FakeFtpServer(new() { ["CWD"] = "550 no such directory" });
        using var http = Client();
        using var response = await http.GetAsync(server.Url("/nope/"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("FTP 550 no such directory", response.ReasonPhrase);
        Assert.DoesNotContain("LIST", server.Received);
        Assert.DoesNotContain("EPSV", server.Received);
        await server.SessionsEnded.WaitAsync(Patience);
    }

    [Fact]
    public async Task GET_of_a_directory_whose_LIST_is_refused_is_the_mapped_status()
    {
        await using var server = new FakeFtpServer(new() { ["LIST"] = "450 cannot list" });
        using var http = Client();
        using var response = await http.GetAsync(server.Url("/d/"));
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("FTP 450 cannot list", response.ReasonPhrase);
        Assert.Equal("450 cannot list", await response.Content.ReadAsStringAsync());
        await server.SessionsEnded.WaitAsync(Patience);
    }

    [Theory]
    [InlineData("550 no such file", HttpStatusCode.NotFound)]
    [InlineData("553 not allowed", HttpStatusCode.Forbidden)]
    [InlineData("552 quota", HttpStatusCode.Forbidden)]
    [InlineData("532 need account", HttpStatusCode.Forbidden)]
    [InlineData("530 not logged in", HttpStatusCode.Unauthorized)]
    [InlineData("451 local error", HttpStatusCode.BadGateway)]
    [InlineData("200 that is not a start", HttpStatusCode.BadGateway)]
    public async Task A_refused_RETR_is_the_mapped_status_and_the_control_connection_is_closed(string reply, HttpStatusCode status)
    {
        await using var server = new FakeFtpServer(new() { ["RETR"] = reply });
        using var http = Client();
        using var response = await http.GetAsync(server.Url("/f"));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal($"FTP {reply}", response.ReasonPhrase);
        Assert.Equal(reply, await response.Content.ReadAsStringAsync());
        await server.SessionsEnded.WaitAsync(Patience);
    }

    // ---- PUT ----

    [Fact]
    public async Task PUT_stores_the_body_byte_for_byte_and_is_201()
    {
        var body = new byte[100_000];
        new Random(42).NextBytes(body);
        await using var server = new FakeFtpServer { Completion = "226 Transfer complete" };
        using var http = Client();
        using var request = new HttpRequestMessage(HttpMethod.Put, server.Url("/up/a%20b.bin")) { Content = new ByteArrayContent(body) };
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("FTP 226 Transfer complete", response.ReasonPhrase);
        Assert.Same(request, response.RequestMessage);
        Assert.Equal(body, server.Stored);
        Assert.Equal(new[] { "USER anonymous", "TYPE I", "EPSV", "STOR /up/a b.bin", "QUIT" }, server.Received);
    }

    [Fact]
    public async Task PUT_without_content_stores_an_empty_file()
    {
        await using var server = new FakeFtpServer { Completion = "226 ok" };
        using var http = Client();
        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Put, server.Url("/empty")));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("FTP 226 ok", response.ReasonPhrase);
        Assert.Equal(Array.Empty<byte>(), server.Stored);
    }

    [Fact]
    public async Task PUT_accepts_125_as_the_start_of_the_transfer()
    {
        await using var server = new FakeFtpServer(new() { ["STOR"] = "125 go ahead" });
        using var http = Client();
        using var response = await http.PutAsync(server.Url("/f"), new ByteArrayContent([1, 2, 3]));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(new byte[] { 1, 2, 3 }, server.Stored);
    }

    [Theory]
    [InlineData("553 file name not allowed", HttpStatusCode.Forbidden)]
    [InlineData("550 permission denied", HttpStatusCode.NotFound)]
    [InlineData("226 too early", HttpStatusCode.BadGateway)]
    public async Task A_refused_STOR_is_the_mapped_status(string reply, HttpStatusCode status)
    {
        await using var server = new FakeFtpServer(new() { ["STOR"] = reply });
        using var http = Client();
        using var response = await http.PutAsync(server.Url("/f"), new ByteArrayContent([1, 2, 3]));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal($"FTP {reply}", response.ReasonPhrase);
        Assert.Null(server.Stored);
        await server.SessionsEnded.WaitAsync(Patience);
    }

    [Theory]
    [InlineData("200 stored", HttpStatusCode.Created)]
    [InlineData("299 stored", HttpStatusCode.Created)]
    [InlineData("199 not yet", HttpStatusCode.BadGateway)]
    [InlineData("300 what", HttpStatusCode.BadGateway)]
    [InlineData("451 aborted", HttpStatusCode.BadGateway)]
    [InlineData("552 disk full", HttpStatusCode.Forbidden)]
    public async Task The_final_reply_of_a_STOR_decides_the_status(string completion, HttpStatusCode status)
    {
        await using var server = new FakeFtpServer { Completion = completion };
        using var http = Client();
        using var response = await http.PutAsync(server.Url("/f"), new ByteArrayContent([1, 2, 3]));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal($"FTP {completion}", response.ReasonPhrase);
        Assert.Equal(status == HttpStatusCode.Created, server.Received.Contains("QUIT"));
        await server.SessionsEnded.WaitAsync(Patience);
    }

    // ---- passive mode ----

    [Fact]
    public async Task PASV_is_used_when_EPSV_is_refused()
    {
        await using var server = new FakeFtpServer(new() { ["EPSV"] = "500 no EPSV" });
        using var http = Client();
        Assert.Equal("12345", await http.GetStringAsync(server.Url("/f")));
        Assert.Equal(new[] { "USER anonymous", "TYPE I", "SIZE /f", "EPSV", "PASV", "RETR /f", "QUIT" }, server.Received);
    }

    [Theory]
    [InlineData("229 Entering Extended Passive Mode")]
    [InlineData("229 Entering Extended Passive Mode (|||123456|)")]
    [InlineData("200 (|||{0}|)")]
    public async Task PASV_is_used_when_the_EPSV_reply_is_not_a_229_with_a_port(string epsv)
    {
        await using var server = new FakeFtpServer();
        // The last one names the real port: only its code says it is no EPSV answer. PASV names the real port too.
        server.Replies["EPSV"] = string.Format(System.Globalization.CultureInfo.InvariantCulture, epsv, server.DataPort);
        using var http = Client();
        Assert.Equal("12345", await http.GetStringAsync(server.Url("/f")));
        Assert.Contains("PASV", server.Received);
    }

    [Fact]
    public async Task EPSV_is_used_when_offered_and_PASV_is_not_sent()
    {
        await using var server = new FakeFtpServer(new() { ["PASV"] = "227 Entering Passive Mode (127,0,0,1,0,1)" });
        using var http = Client();
        Assert.Equal("12345", await http.GetStringAsync(server.Url("/f")));
        Assert.DoesNotContain("PASV", server.Received);
    }

    [Fact]
    public async Task Passive_mode_refused_both_ways_is_an_error_naming_both_answers()
    {
        await using var server = new FakeFtpServer(new() { ["EPSV"] = "500 no EPSV", ["PASV"] = "500 no PASV" });
        using var http = Client();
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(server.Url("/f")));
        Assert.Equal("The FTP server refused passive mode: EPSV answered 500 no EPSV, PASV answered 500 no PASV", error.Message);
        Assert.DoesNotContain(server.Received, l => l.StartsWith("RETR", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("227 Entering Passive Mode")]
    [InlineData("200 Entering Passive Mode (127,0,0,1,{0},{1})")]
    public async Task A_PASV_reply_that_is_not_a_227_with_an_address_is_a_refusal(string pasv)
    {
        await using var server = new FakeFtpServer(new() { ["EPSV"] = "502 no" });
        server.Replies["PASV"] = string.Format(System.Globalization.CultureInfo.InvariantCulture, pasv, server.DataPort / 256, server.DataPort % 256);
        using var http = Client();
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(server.Url("/f")));
        Assert.Equal($"The FTP server refused passive mode: EPSV answered 502 no, PASV answered {server.Replies["PASV"]}", error.Message);
    }

    [Theory]
    [InlineData("EPSV", "229 Entering Extended Passive Mode (|||0|)", 0)]
    [InlineData("EPSV", "229 Entering Extended Passive Mode (|||70000|)", 70000)]
    [InlineData("EPSV", "229 Entering Extended Passive Mode (|||65536|)", 65536)]
    [InlineData("PASV", "227 Entering Passive Mode (127,0,0,1,0,0)", 0)]
    [InlineData("PASV", "227 Entering Passive Mode (127,0,0,1,256,0)", 65536)]
    [InlineData("PASV", "227 Entering Passive Mode (127,0,0,1,999,999)", 256743)]
    public async Task A_data_port_outside_1_to_65535_is_refused(string command, string reply, int port)
    {
        var (error, received) = await PassiveFailureAsync(command, reply);
        Assert.Equal($"The FTP server offered data port {port} (refused)", error.Message);
        Assert.DoesNotContain(received, l => l.StartsWith("RETR", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("EPSV", "229 Entering Extended Passive Mode (|||1|)", 1)]
    [InlineData("EPSV", "229 Entering Extended Passive Mode (|||65535|)", 65535)]
    [InlineData("PASV", "227 Entering Passive Mode (127,0,0,1,0,1)", 1)]
    [InlineData("PASV", "227 Entering Passive Mode (127,0,0,1,255,255)", 65535)]
    [InlineData("PASV", "227 Entering Passive Mode (127,0,0,1,1,0)", 256)]
    public async Task A_data_port_at_the_bounds_is_connected_to(string command, string reply, int port)
    {
        // Nothing listens there: the connection is tried (and refused by the kernel), not refused by the client.
        var (error, _) = await PassiveFailureAsync(command, reply);
        Assert.StartsWith($"Cannot connect to FTP server 127.0.0.1:{port}: ", error.Message, StringComparison.Ordinal);
        Assert.IsType<SocketException>(error.InnerException);
    }

    // ---- the download stream's end ----

    [Theory]
    [InlineData("451 aborted", "FTP transfer failed after 5 bytes: 451 aborted")]
    [InlineData("199 huh", "FTP transfer failed after 5 bytes: 199 huh")]
    [InlineData("300 huh", "FTP transfer failed after 5 bytes: 300 huh")]
    public async Task A_download_whose_final_reply_is_not_2xx_fails_at_its_end(string completion, string message)
    {
        await using var server = new FakeFtpServer { Completion = completion };
        using var http = Client();
        using var response = await http.GetAsync(server.Url("/f"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        var error = await Assert.ThrowsAsync<IOException>(() => ReadToEndAsync(body));
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("200 done")]
    [InlineData("299 done")]
    public async Task A_download_whose_final_reply_is_2xx_ends_normally(string completion)
    {
        await using var server = new FakeFtpServer { Completion = completion };
        using var http = Client();
        Assert.Equal("12345", await http.GetStringAsync(server.Url("/f")));
        Assert.Contains("QUIT", server.Received);
    }

    [Fact]
    public async Task A_download_shorter_than_its_SIZE_fails_at_its_end()
    {
        await using var server = new FakeFtpServer(new() { ["SIZE"] = "213 5" }) { File = [1, 2, 3] };
        using var http = Client();
        using var response = await http.GetAsync(server.Url("/f"), HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var error = await Assert.ThrowsAsync<IOException>(() => ReadToEndAsync(body));
        Assert.Equal("FTP transfer ended after 3 of 5 bytes", error.Message);
        Assert.DoesNotContain("QUIT", server.Received);
    }

    [Fact]
    public async Task A_download_longer_than_its_SIZE_fails_at_its_end()
    {
        await using var server = new FakeFtpServer(new() { ["SIZE"] = "213 2" }) { File = [1, 2, 3] };
        using var http = Client();
        using var response = await http.GetAsync(server.Url("/f"), HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var error = await Assert.ThrowsAsync<IOException>(() => ReadToEndAsync(body));
        Assert.Equal("FTP transfer ended after 3 of 2 bytes", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Disposing_a_download_before_its_end_closes_the_data_and_control_connections(bool async)
    {
        var dataClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new FakeFtpServer(new() { ["SIZE"] = "213 1000" })
        {
            Transfer = async (_, stream) =>
            {
                await stream.WriteAsync(new byte[10]);
                try
                {
                    while (await stream.ReadAsync(new byte[1]) > 0)
                    {
                    }
                }
                catch (IOException)
                {
                    // A reset: closed with the 10 bytes unread.
                }

                dataClosed.SetResult();
                return "226 done";
            },
        };
        using var http = Client();
        var response = await http.GetAsync(server.Url("/f"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStreamAsync();
        if (async)
        {
            await body.DisposeAsync();
        }
        else
        {
            response.Dispose();
        }

        await dataClosed.Task.WaitAsync(Patience);
        await server.SessionsEnded.WaitAsync(Patience);
        Assert.DoesNotContain("QUIT", server.Received);
        response.Dispose();
    }

    // ---- the connector ----

    [Fact]
    public async Task A_closed_port_is_a_connect_error_naming_host_and_port()
    {
        int port = Ports.Closed();

        using var http = Client();
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync($"ftp://127.0.0.1:{port}/f"));
        Assert.StartsWith($"Cannot connect to FTP server 127.0.0.1:{port}: ", error.Message, StringComparison.Ordinal);
        var socket = Assert.IsType<SocketException>(error.InnerException);
        Assert.EndsWith(socket.Message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FTP_through_a_SOCKS_proxy_is_a_configuration_error()
    {
        using var http = new HttpClient(ProxyNetHandler.Create(ProxyResolver.Create(new ProxyNetOptions { FtpProxy = "socks5://127.0.0.1:1080", UseEnvironment = false })));
        var error = await Assert.ThrowsAsync<ProxyConfigurationException>(() => http.GetAsync("ftp://ftp.example.com/f"));
        Assert.Equal("FTP through SOCKS proxy socks5://127.0.0.1:1080 is not supported: set FTP_PROXY to an http:// or https:// proxy (CONNECT)", error.Message);
    }

    [Fact]
    public async Task FTP_through_an_http_proxy_tunnels_the_control_and_the_data_connection()
    {
        await using var proxy = new RecordingProxy();
        await using var server = new FakeFtpServer();
        using var http = new HttpClient(ProxyNetHandler.Create(ProxyResolver.Create(new ProxyNetOptions { FtpProxy = proxy.Url, UseEnvironment = false })));
        Assert.Equal("12345", await http.GetStringAsync(server.Url("/f")));
        Assert.Equal(
            [new RecordedRequest("CONNECT", $"127.0.0.1:{server.Port}", null), new RecordedRequest("CONNECT", $"127.0.0.1:{server.DataPort}", null)],
            proxy.Requests);
    }

    private static async Task ReadToEndAsync(Stream body)
    {
        var buffer = new byte[4096];
        while (await body.ReadAsync(buffer) > 0)
        {
        }
    }

    /// <summary>A GET whose passive-mode reply is <paramref name="reply"/> (to PASV after a refused EPSV): its error and what the server received.</summary>
    private static async Task<(HttpRequestException Error, string[] Received)> PassiveFailureAsync(string command, string reply)
    {
        var replies = new Dictionary<string, string?> { [command] = reply };
        if (command == "PASV")
        {
            replies["EPSV"] = "500 no";
        }

        await using var server = new FakeFtpServer(replies);
        using var http = Client();
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(server.Url("/f")));
        return (error, server.Received.ToArray());
    }

    private static HttpClient Client(ProxyClientOptions? options = null) =>
        new(ProxyNetHandler.Create(ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false }), options)) { Timeout = Timeout.InfiniteTimeSpan };
}

/// <summary>
/// <see cref="FtpDownloadStream"/> on its own: a data stream in memory and a control channel reading scripted replies.
/// </summary>
public sealed class FtpDownloadStreamTests
{
    [Fact]
    public void It_reads_and_does_not_write_or_seek()
    {
        using var stream = Download([1, 2, 3], "226 done\r\n", 3, out _, out _);
        Assert.True(stream.CanRead);
        Assert.False(stream.CanWrite);
        Assert.False(stream.CanSeek);
        Assert.Equal(3, stream.Length);
        Assert.Throws<NotSupportedException>(() => stream.Position = 1);
        Assert.Throws<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => stream.SetLength(1));
        Assert.Throws<NotSupportedException>(() => stream.Write([1], 0, 1));
        stream.Flush();
    }

    [Fact]
    public void A_download_without_a_size_has_no_length()
    {
        using var stream = Download([1, 2, 3], "226 done\r\n", null, out _, out _);
        Assert.Throws<NotSupportedException>(() => stream.Length);
    }

    [Fact]
    public async Task The_end_reads_the_completion_says_QUIT_and_then_reads_nothing_more()
    {
        await using var stream = Download([1, 2, 3, 4, 5], "226 done\r\n221 bye\r\n", 5, out var data, out var control);
        var buffer = new byte[8];
        Assert.Equal(5, await stream.ReadAsync(buffer));
        Assert.Equal(5, stream.Position);
        Assert.True(data.CanRead);
        Assert.Equal(0, await stream.ReadAsync(buffer));
        Assert.False(data.CanRead);
        Assert.Equal("QUIT\r\n", control.Written);
        Assert.Equal(0, await stream.ReadAsync(buffer));
        Assert.Equal(0, await stream.ReadAsync(buffer));
        Assert.Equal("QUIT\r\n", control.Written);
        Assert.Equal(5, stream.Position);
    }

    [Fact]
    public async Task The_array_overloads_read_at_the_offset()
    {
        using var stream = Download([7, 8, 9], "226 done\r\n", 3, out _, out _);
        var buffer = new byte[6];
        Assert.Equal(2, stream.Read(buffer, 1, 2));
#pragma warning disable CA1835 // The array overload is what is tested.
        Assert.Equal(1, await stream.ReadAsync(buffer, 4, 2, CancellationToken.None));
#pragma warning restore CA1835
        Assert.Equal(new byte[] { 0, 7, 8, 0, 9, 0 }, buffer);
        Assert.Equal(3, stream.Position);
        Assert.Equal(0, stream.Read(buffer, 0, 6));
    }

    [Theory]
    [InlineData("199 huh", false)]
    [InlineData("200 ok", true)]
    [InlineData("226 done", true)]
    [InlineData("299 ok", true)]
    [InlineData("300 huh", false)]
    [InlineData("426 aborted", false)]
    public async Task Only_a_2xx_completion_ends_a_download_well(string completion, bool ok)
    {
        await using var stream = Download([1, 2], completion + "\r\n", null, out _, out var control);
        var buffer = new byte[8];
        Assert.Equal(2, await stream.ReadAsync(buffer));
        if (ok)
        {
            Assert.Equal(0, await stream.ReadAsync(buffer));
            Assert.Equal("QUIT\r\n", control.Written);
        }
        else
        {
            var error = await Assert.ThrowsAsync<IOException>(() => stream.ReadAsync(buffer).AsTask());
            Assert.Equal($"FTP transfer failed after 2 bytes: {completion}", error.Message);
            Assert.Equal(string.Empty, control.Written);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Disposing_closes_the_data_and_the_control_stream(bool async)
    {
        var stream = Download([1, 2, 3], "226 done\r\n", 3, out var data, out var control);
        if (async)
        {
            await stream.DisposeAsync();
        }
        else
        {
            stream.Dispose();
        }

        Assert.False(data.CanRead);
        Assert.True(control.Disposed);
    }

    private static FtpDownloadStream Download(byte[] body, string replies, long? length, out MemoryStream data, out DuplexStream control)
    {
        data = new MemoryStream(body);
        control = new DuplexStream(Encoding.ASCII.GetBytes(replies));
        return new FtpDownloadStream(data, new FtpControlChannel(control), length);
    }

    /// <summary>A control connection in memory: reads the scripted replies, records what is written.</summary>
    internal sealed class DuplexStream(byte[] input) : Stream
    {
        private readonly MemoryStream _input = new(input);
        private readonly MemoryStream _output = new();

        public bool Disposed { get; private set; }

        public string Written => Encoding.ASCII.GetString(_output.ToArray());

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _output.Write(buffer, offset, count);

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}

/// <summary>
/// A passive-mode FTP server for protocol tests: it answers each command from <see cref="Replies"/> or a default,
/// records what it received, and on a RETR, LIST or STOR it started (125 or 150) accepts the data connection, runs
/// <see cref="Transfer"/> (by default: sends <see cref="File"/>, or stores what arrives in <see cref="Stored"/>),
/// closes it and sends <see cref="Completion"/>. Disposing it waits until the client has closed every control
/// connection (a socket left open fails the test) and rethrows what a session threw.
/// </summary>
internal sealed class FakeFtpServer : IAsyncDisposable
{
    private readonly TcpListener _data = new(IPAddress.Loopback, 0);
    private readonly ScriptedServer _control;
    private readonly ConcurrentQueue<Task> _sessions = new();

    public FakeFtpServer(Dictionary<string, string?>? replies = null, string greeting = "220 fake")
    {
        foreach (var (command, reply) in replies ?? [])
        {
            Replies[command] = reply;
        }

        _data.Start();
        Transfer = DefaultTransferAsync;
        _control = new ScriptedServer(async (s, self) =>
        {
            var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _sessions.Enqueue(ended.Task);
            try
            {
                await ScriptedServer.WriteAsync(s, greeting + "\r\n");
                while (await ScriptedServer.ReadLineAsync(s) is { } line)
                {
                    string command = line.Split(' ')[0];
                    self.Received.Enqueue(line);
                    string? reply = Replies.TryGetValue(command, out string? custom) ? custom : Default(command);
                    if (reply is null)
                    {
                        continue;
                    }

                    await ScriptedServer.WriteAsync(s, reply + "\r\n");
                    if (command is "RETR" or "LIST" or "STOR" && (reply.StartsWith("125", StringComparison.Ordinal) || reply.StartsWith("150", StringComparison.Ordinal)))
                    {
                        string completion;
                        using (var client = await _data.AcceptTcpClientAsync())
                        {
                            completion = await Transfer(command, client.GetStream());
                        }

                        await ScriptedServer.WriteAsync(s, completion + "\r\n");
                    }
                }
            }
            finally
            {
                ended.SetResult();
            }
        });
    }

    public int Port => _control.Port;

    public int DataPort => ((IPEndPoint)_data.LocalEndpoint).Port;

    public ConcurrentDictionary<string, string?> Replies { get; } = new();

    public ConcurrentQueue<string> Received => _control.Received;

    public byte[] File { get; init; } = "12345"u8.ToArray();

    public string Completion { get; init; } = "226 done";

    public byte[]? Stored { get; private set; }

    public Func<string, NetworkStream, Task<string>> Transfer { get; init; }

    /// <summary>Every control connection accepted so far has been closed (by the client, or by a failure).</summary>
    public Task SessionsEnded => Task.WhenAll(_sessions);

    public string Url(string path) => $"ftp://127.0.0.1:{Port}{path}";

    public async ValueTask DisposeAsync()
    {
        try
        {
            await SessionsEnded.WaitAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            _data.Stop();
            await _control.DisposeAsync();
        }
    }

    private string? Default(string command) => command switch
    {
        "USER" or "PASS" => "230 logged in",
        "TYPE" => "200 binary",
        "SIZE" => $"213 {File.Length}",
        "MDTM" => "550 no time",
        "CWD" => "250 ok",
        "EPSV" => $"229 Entering Extended Passive Mode (|||{DataPort}|)",
        "PASV" => $"227 Entering Passive Mode (127,0,0,1,{DataPort / 256},{DataPort % 256})",
        "RETR" or "LIST" or "STOR" => "150 go",
        "QUIT" => "221 bye",
        _ => "502 not implemented",
    };

    private async Task<string> DefaultTransferAsync(string command, NetworkStream stream)
    {
        if (command == "STOR")
        {
            var received = new MemoryStream();
            await stream.CopyToAsync(received);
            Stored = received.ToArray();
        }
        else
        {
            await stream.WriteAsync(File);
        }

        return Completion;
    }
}
