using System.Collections.Concurrent;
using System.Net;
using System.Text;
using ProxyNet.Authentication;
using ProxyNet.Tests.Fakes;
using ProxyNet.Tunnel;
using static ProxyNet.Tests.Fakes.StreamText;

namespace ProxyNet.Tests.Tunnel;

/// <summary>
/// When a login needs a new connection and when it must not: the proxy's word (close, HTTP/1.0, keep-alive), bodies
/// too large to read through, a proxy that hangs up, and the old connection is always closed.
/// </summary>
public sealed class TunnelReconnectTests
{
    private const string BasicAlice = "Proxy-Authorization: Basic YWxpY2U6aHVudGVyMg==\r\n";
    private static readonly Uri Alice = new("http://alice:hunter2@127.0.0.1:1");
    private static readonly ProxyTunnelOptions Quick = new() { ConnectTimeout = TimeSpan.FromSeconds(10), ResponseTimeout = TimeSpan.FromSeconds(5) };

    [Theory]
    [InlineData("HTTP/1.1 407 Login\r\nConnection: close\r\nProxy-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n", null)]
    [InlineData("HTTP/1.1 407 Login\r\nProxy-Connection: close\r\nProxy-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n", null)]
    [InlineData("HTTP/1.0 407 Login\r\nProxy-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n", null)]
    [InlineData("HTTP/1.1 407 Login\r\nProxy-Authenticate: Basic realm=\"x\"\r\nContent-Length: 65537\r\n\r\n", "")]
    [InlineData("HTTP/1.1 407 Login\r\nProxy-Authenticate: Basic realm=\"x\"\r\nTransfer-Encoding: chunked\r\n\r\n10001\r\n", "\r\n0\r\n\r\n")]
    [InlineData("HTTP/1.1 407 Login\r\nProxy-Authenticate: Basic realm=\"x\"\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", null)]
    public async Task A_407_that_leaves_the_connection_unusable_is_answered_on_a_new_one_and_the_old_one_is_closed(string reply, string? afterBody)
    {
        var first = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var heads = new ConcurrentQueue<(int Connection, string Head)>();
        await using var proxy = new ScriptedServer(async (s, _, n) =>
        {
            try
            {
                string head;
                while ((head = await ScriptedServer.ReadHeadAsync(s)).Length > 0)
                {
                    heads.Enqueue((n, head));
                    if (head.Contains(BasicAlice, StringComparison.Ordinal))
                    {
                        await ScriptedServer.WriteAsync(s, "HTTP/1.1 200 OK\r\n\r\nhello");
                        continue;
                    }

                    // Says the connection is done, or sends a body too large to read through, but leaves it open.
                    await ScriptedServer.WriteAsync(s, reply);
                    if (afterBody is not null)
                    {
                        await ScriptedServer.WriteAsync(s, new string('z', 0x10001) + afterBody);
                    }
                }
            }
            finally
            {
                if (n == 1)
                {
                    first.SetResult("closed by the client");
                }
            }
        });

        await using var stream = await ProxyTunnel.ConnectAsync(At(proxy), "example.com", 443, Quick);

        Assert.Equal("hello", await ReadSomeAsync(stream));
        Assert.Equal(2, proxy.Connections);
        Assert.Equal([1, 2], heads.Select(h => h.Connection));
        Assert.Contains(BasicAlice, heads.Last().Head, StringComparison.Ordinal);
        Assert.Equal("closed by the client", await first.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData("HTTP/1.0 407 Login\r\nConnection: keep-alive\r\nProxy-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("HTTP/1.1 407 Login\r\nProxy-Authenticate: Basic realm=\"x\"\r\nContent-Length: 65536\r\n\r\n")]
    [InlineData("HTTP/1.1 407 Login\r\nProxy-Authenticate: Basic realm=\"x\"\r\nTransfer-Encoding: chunked\r\n\r\n10000\r\n")]
    public async Task A_407_on_a_kept_alive_connection_is_answered_on_the_same_one(string reply)
    {
        await using var proxy = new ScriptedServer(async (s, self, _) =>
        {
            string head;
            while ((head = await ScriptedServer.ReadHeadAsync(s)).Length > 0)
            {
                self.Received.Enqueue(head);
                if (head.Contains(BasicAlice, StringComparison.Ordinal))
                {
                    await ScriptedServer.WriteAsync(s, "HTTP/1.1 200 OK\r\n\r\nhello");
                    continue;
                }

                await ScriptedServer.WriteAsync(s, reply);
                if (reply.Contains("65536", StringComparison.Ordinal))
                {
                    await ScriptedServer.WriteAsync(s, new string('z', 65536));
                }
                else if (reply.Contains("chunked", StringComparison.Ordinal))
                {
                    await ScriptedServer.WriteAsync(s, new string('z', 65536) + "\r\n0\r\n\r\n");
                }
            }
        });

        await using var stream = await ProxyTunnel.ConnectAsync(At(proxy), "example.com", 443, Quick);

        Assert.Equal("hello", await ReadSomeAsync(stream));
        Assert.Equal(1, proxy.Connections);
        Assert.Equal(2, proxy.Received.Count);
    }

    [Fact]
    public async Task A_proxy_that_hangs_up_without_answering_is_not_asked_again()
    {
        await using var proxy = new ScriptedServer(async (s, _, _) =>
        {
            await ScriptedServer.ReadHeadAsync(s);
        });

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => ProxyTunnel.ConnectAsync(new Uri(proxy.Url), "example.com", 443, Quick));

        Assert.Equal($"Proxy {proxy.Url} closed the connection without answering CONNECT example.com:443", error.Message);
        Assert.Equal(1, proxy.Connections);
    }

    [Fact]
    public async Task A_proxy_that_hangs_up_on_the_login_gets_one_reconnect_and_then_an_error()
    {
        await using var proxy = new ScriptedServer(async (s, _, _) =>
        {
            string head;
            while ((head = await ScriptedServer.ReadHeadAsync(s)).Length > 0 && !head.Contains(BasicAlice, StringComparison.Ordinal))
            {
                await ScriptedServer.WriteAsync(s, "HTTP/1.1 407 Login\r\nProxy-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n");
            }
        });

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => ProxyTunnel.ConnectAsync(At(proxy), "example.com", 443, Quick));

        Assert.Equal($"Proxy {proxy.Url} closed the connection without answering CONNECT example.com:443 (after a reconnect for its login)", error.Message);
        Assert.Equal(2, proxy.Connections);
    }

    [Fact]
    public async Task After_a_hang_up_the_Digest_answer_is_sent_again_with_the_next_count()
    {
        var answers = new ConcurrentQueue<string>();
        await using var proxy = new ScriptedServer(async (s, _, n) =>
        {
            string head;
            while ((head = await ScriptedServer.ReadHeadAsync(s)).Length > 0)
            {
                string? answer = DigestAnswer(head);
                if (answer is null)
                {
                    await ScriptedServer.WriteAsync(s, "HTTP/1.1 407 Login\r\nProxy-Authenticate: Digest realm=\"r\", nonce=\"abc\", qop=\"auth\"\r\nContent-Length: 0\r\n\r\n");
                    continue;
                }

                answers.Enqueue(answer);
                if (n == 1)
                {
                    return;
                }

                await ScriptedServer.WriteAsync(s, DigestChecks(answer, "db.internal:5432") ? "HTTP/1.1 200 OK\r\n\r\nhello" : "HTTP/1.1 403 Wrong digest\r\nContent-Length: 0\r\n\r\n");
            }
        });

        await using var stream = await ProxyTunnel.ConnectAsync(At(proxy), "db.internal", 5432, Quick);

        Assert.Equal("hello", await ReadSomeAsync(stream));
        Assert.Equal(2, proxy.Connections);
        Assert.Equal(["00000001", "00000002"], answers.Select(a => AuthChallenge.Parse([a]).Single()["nc"]));
    }

    [Fact]
    public async Task A_Digest_answer_to_a_407_that_closes_goes_unchanged_on_the_new_connection()
    {
        var answers = new ConcurrentQueue<string>();
        await using var proxy = new ScriptedServer(async (s, _) =>
        {
            string head;
            while ((head = await ScriptedServer.ReadHeadAsync(s)).Length > 0)
            {
                string? answer = DigestAnswer(head);
                if (answer is null)
                {
                    await ScriptedServer.WriteAsync(s, "HTTP/1.1 407 Login\r\nConnection: close\r\nProxy-Authenticate: Digest realm=\"r\", nonce=\"abc\", qop=\"auth\"\r\nContent-Length: 0\r\n\r\n");
                    return;
                }

                answers.Enqueue(answer);
                await ScriptedServer.WriteAsync(s, DigestChecks(answer, "example.com:443") ? "HTTP/1.1 200 OK\r\n\r\nhello" : "HTTP/1.1 403 Wrong digest\r\nContent-Length: 0\r\n\r\n");
            }
        });

        await using var stream = await ProxyTunnel.ConnectAsync(At(proxy), "example.com", 443, Quick);

        Assert.Equal("hello", await ReadSomeAsync(stream));
        Assert.Equal("00000001", AuthChallenge.Parse([answers.Single()]).Single()["nc"]);
    }

    [Fact]
    public async Task A_login_that_needs_a_kept_alive_connection_fails_in_words_after_two_closes()
    {
        await using var proxy = new ScriptedServer(async (s, _, n) =>
        {
            await ScriptedServer.ReadHeadAsync(s);
            await ScriptedServer.WriteAsync(s, $"HTTP/1.1 407 Login\r\nConnection: close\r\nProxy-Authenticate: Digest realm=\"r\", nonce=\"n{n}\", stale=true\r\nContent-Length: 0\r\n\r\n");
        });

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => ProxyTunnel.ConnectAsync(At(proxy), "example.com", 443, Quick));

        Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, error.StatusCode);
        Assert.Equal($"Proxy {proxy.Url} closed the connection after a 407 twice for CONNECT example.com:443; Digest needs one kept-alive connection for its legs", error.Message);
        Assert.Equal(2, proxy.Connections);
    }

    [Fact]
    public async Task A_reply_to_the_login_that_is_not_HTTP_is_an_error_without_a_reconnect()
    {
        await using var proxy = new ScriptedServer(async (s, _, _) =>
        {
            string head;
            while ((head = await ScriptedServer.ReadHeadAsync(s)).Length > 0)
            {
                await ScriptedServer.WriteAsync(s, head.Contains(BasicAlice, StringComparison.Ordinal)
                    ? "SSH-2.0-surprise\r\n\r\n"
                    : "HTTP/1.1 407 Login\r\nProxy-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n");
            }
        });

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => ProxyTunnel.ConnectAsync(At(proxy), "example.com", 443, Quick));

        Assert.Equal($"Proxy {proxy.Url} did not answer CONNECT example.com:443 with HTTP (got 'SSH-2.0-surprise')", error.Message);
        Assert.Equal(1, proxy.Connections);
    }

    private static Uri At(ScriptedServer proxy) => new UriBuilder(Alice) { Port = proxy.Port }.Uri;

    private static string? DigestAnswer(string head) =>
        head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Proxy-Authorization: Digest ", StringComparison.Ordinal))?["Proxy-Authorization: ".Length..];

    private static bool DigestChecks(string answer, string authority)
    {
        var fields = AuthChallenge.Parse([answer]).Single();
        string expected = DigestAuthenticator.Compute(DigestAuthenticator.Hasher("MD5")!, "MD5", "alice", "hunter2", "r", "abc", fields["cnonce"]!, fields["nc"]!, "auth", "CONNECT", authority);
        return fields["response"] == expected;
    }
}
