using System.Text;
using ProxyNet.Ftp;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.Tests.Ftp;

/// <summary>
/// The FTP control connection against a scripted server: commands as written on the wire, replies read across any
/// split, multi-line replies, the bounds a hostile server meets (line length, line count), and the password never in
/// a reply's text.
/// </summary>
public sealed class FtpControlChannelTests
{
    [Fact]
    public async Task A_command_is_one_line_and_its_reply_is_code_and_text()
    {
        var peer = ScriptedReadStream.Of("331 Password required for bob\r\n", "230 Logged in\r\n", "227 Entering Passive Mode (127,0,0,1,4,1)\n");
        await using var channel = new FtpControlChannel(peer);

        var user = await channel.CommandAsync("USER", "bob", default);
        var pass = await channel.CommandAsync("PASS", "hunter2", default);
        var pasv = await channel.CommandAsync("PASV", null, default);

        Assert.Equal("USER bob\r\nPASS hunter2\r\nPASV\r\n", Encoding.ASCII.GetString(peer.Written.ToArray()));
        Assert.Equal(new FtpReply(331, "Password required for bob"), user);
        Assert.Equal(new FtpReply(230, "Logged in"), pass);
        Assert.Equal(new FtpReply(227, "Entering Passive Mode (127,0,0,1,4,1)"), pasv);
    }

    [Theory]
    [InlineData("a\rb")]
    [InlineData("a\nDELE x")]
    [InlineData("a\0")]
    [InlineData("\u0085")]
    public async Task An_argument_with_a_control_character_is_refused_before_anything_is_sent(string argument)
    {
        var peer = ScriptedReadStream.Of("200 ok\r\n");
        await using var channel = new FtpControlChannel(peer);
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => channel.CommandAsync("RETR", argument, default));
        Assert.Equal("FTP RETR: the argument contains a control character such as CR, LF or NUL (refused)", e.Message);
        Assert.Equal(0, peer.Written.Length);
    }

    [Fact]
    public async Task Replies_split_across_reads_or_sharing_one_read_are_read_apart()
    {
        var peer = ScriptedReadStream.Of("2", "20 Wel", "come\r", "\n150 one\r\n226 two\r\n");
        await using var channel = new FtpControlChannel(peer);
        Assert.Equal(new FtpReply(220, "Welcome"), await channel.ReadReplyAsync(default));
        Assert.Equal(new FtpReply(150, "one"), await channel.ReadReplyAsync(default));
        Assert.Equal(new FtpReply(226, "two"), await channel.ReadReplyAsync(default));
    }

    [Theory]
    [InlineData("220\r\n", 220, "")]
    [InlineData("220 \r\n", 220, "")]
    [InlineData("220 a\rb\r\n", 220, "a\rb")]
    [InlineData("211-Features:\r\n MDTM\r\n SIZE\r\n211 End\r\n", 211, "Features:\n MDTM\n SIZE")]
    [InlineData("211-Features:\n 211-not the end\n211\n", 211, "Features:\n 211-not the end")]
    [InlineData("230-\r\n230 done\r\n", 230, "")]
    public async Task Single_and_multi_line_replies_are_read_whole(string wire, int code, string text)
    {
        await using var channel = new FtpControlChannel(ScriptedReadStream.Of(wire));
        Assert.Equal(new FtpReply(code, text), await channel.ReadReplyAsync(default));
    }

    [Theory]
    [InlineData("22\r\n", "The FTP server sent a malformed reply: '22'")]
    [InlineData("2x0 hello\r\n", "The FTP server sent a malformed reply: '2x0 hello'")]
    [InlineData("+20 hello\r\n", "The FTP server sent a malformed reply: '+20 hello'")]
    [InlineData("HTTP/1.1 200 OK\r\n", "The FTP server sent a malformed reply: 'HTTP/1.1 200 OK'")]
    [InlineData("\u001b[2Jx\r\n", @"The FTP server sent a malformed reply: '\x1b[2Jx'")]
    public async Task A_malformed_reply_is_refused_in_printable_words(string wire, string expected)
    {
        await using var channel = new FtpControlChannel(ScriptedReadStream.Of(wire));
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => channel.ReadReplyAsync(default));
        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public async Task A_long_malformed_reply_is_cut_to_200_characters()
    {
        await using var channel = new FtpControlChannel(ScriptedReadStream.Of("x" + new string('y', 300) + "\r\n"));
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => channel.ReadReplyAsync(default));
        Assert.Equal($"The FTP server sent a malformed reply: 'x{new string('y', 199)}…'", e.Message);
    }

    [Fact]
    public async Task A_short_password_never_garbles_a_reply_that_is_parsed()
    {
        var peer = ScriptedReadStream.Of("230 ok\r\n", "227 Entering Passive Mode (127,0,0,1,4,1)\r\n");
        await using var channel = new FtpControlChannel(peer);
        await channel.CommandAsync("PASS", "1", default);

        var reply = await channel.ReadReplyAsync(default);

        Assert.Equal("Entering Passive Mode (127,0,0,1,4,1)", reply.Text);
        Assert.Equal(reply.Text, reply.Raw);
    }

    [Fact]
    public async Task A_server_that_echoes_the_password_never_gets_it_into_a_reply_or_an_error()
    {
        var peer = ScriptedReadStream.Of("530 Login incorrect: hunter2 for bob\r\n", "5hunter2\r\n");
        await using var channel = new FtpControlChannel(peer);
        var reply = await channel.CommandAsync("PASS", "hunter2", default);
        Assert.Equal("Login incorrect: *** for bob", reply.Text);
        Assert.DoesNotContain("hunter2", reply.ToString(), StringComparison.Ordinal);
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => channel.ReadReplyAsync(default));
        Assert.Equal("The FTP server sent a malformed reply: '5***'", e.Message);
    }

    [Fact]
    public async Task An_empty_password_masks_nothing()
    {
        await using var channel = new FtpControlChannel(ScriptedReadStream.Of("230 ok\r\n"));
        Assert.Equal("ok", (await channel.CommandAsync("PASS", string.Empty, default)).Text);
    }

    [Fact]
    public async Task A_line_of_8_KiB_is_read_and_a_longer_one_refused()
    {
        string longest = "200 " + new string('a', 8191 - 4);
        await using (var channel = new FtpControlChannel(new ScriptedReadStream(Encoding.ASCII.GetBytes(longest + "\n"), Encoding.ASCII.GetBytes("200 next\r\n"))))
        {
            Assert.Equal(8191 - 4, (await channel.ReadReplyAsync(default)).Text.Length);
            Assert.Equal("next", (await channel.ReadReplyAsync(default)).Text);
        }

        await using (var channel = new FtpControlChannel(ScriptedReadStream.Of("200 " + new string('a', 8192 - 4) + "\n")))
        {
            var e = await Assert.ThrowsAsync<HttpRequestException>(() => channel.ReadReplyAsync(default));
            Assert.Equal("The FTP server sent a reply line over 8 KiB (refused)", e.Message);
        }
    }

    [Fact]
    public async Task A_line_of_8_KiB_after_earlier_replies_in_the_buffer_is_still_read()
    {
        // The earlier bytes are moved out of the way first: the bound is per line, not per connection.
        string first = "150 " + new string('b', 5000) + "\r\n";
        string second = "226 " + new string('c', 8000) + "\n";
        await using var channel = new FtpControlChannel(ScriptedReadStream.Of(first + second[..100], second[100..]));
        Assert.Equal(5000, (await channel.ReadReplyAsync(default)).Text.Length);
        Assert.Equal(8000, (await channel.ReadReplyAsync(default)).Text.Length);
    }

    [Fact]
    public async Task A_reply_of_1000_lines_is_read_and_one_of_1001_refused()
    {
        static string Reply(int lines) => "211-start\r\n" + string.Concat(Enumerable.Repeat(" line\r\n", lines - 2)) + "211 end\r\n";

        await using (var channel = new FtpControlChannel(ScriptedReadStream.Of(Reply(1000))))
        {
            Assert.Equal(999, (await channel.ReadReplyAsync(default)).Text.Split('\n').Length);
        }

        await using (var channel = new FtpControlChannel(ScriptedReadStream.Of(Reply(1001))))
        {
            var e = await Assert.ThrowsAsync<HttpRequestException>(() => channel.ReadReplyAsync(default));
            Assert.Equal("The FTP server sent a reply of more than 1000 lines (refused)", e.Message);
        }
    }

    [Fact]
    public async Task A_closed_connection_is_said_in_words()
    {
        await using var channel = new FtpControlChannel(ScriptedReadStream.Of("220-partial\r\n"));
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => channel.ReadReplyAsync(default));
        Assert.Equal("The FTP server closed the control connection", e.Message);
    }

    [Fact]
    public async Task QUIT_is_sent_and_a_server_that_hangs_up_changes_nothing()
    {
        var peer = ScriptedReadStream.Of();
        await using var channel = new FtpControlChannel(peer);
        await channel.QuitAsync(default);
        Assert.Equal("QUIT\r\n", Encoding.ASCII.GetString(peer.Written.ToArray()));
        Assert.Equal(TimeSpan.FromSeconds(2), FtpControlChannel.QuitTimeout);
    }

    [Fact]
    public async Task Disposing_the_channel_closes_its_connection()
    {
        var peer = ScriptedReadStream.Of();
        await new FtpControlChannel(peer).DisposeAsync();
        Assert.True(peer.DisposedAsynchronously);
    }

    [Theory]
    [InlineData(99, false)]
    [InlineData(100, true)]
    [InlineData(226, true)]
    [InlineData(399, true)]
    [InlineData(400, false)]
    [InlineData(550, false)]
    public void Replies_from_100_to_399_are_positive(int code, bool positive) => Assert.Equal(positive, new FtpReply(code, "x").IsPositive);

    [Fact]
    public void A_reply_prints_as_code_and_printable_text() =>
        Assert.Equal(@"550 no\x1bsuch file", new FtpReply(550, "no\u001bsuch file").ToString());
}
