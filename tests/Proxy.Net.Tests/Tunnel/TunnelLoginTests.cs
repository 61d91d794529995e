using System.Net;
using System.Net.Sockets;
using System.Text;
using ProxyNet.Authentication;
using ProxyNet.Tests.Fakes;
using ProxyNet.Tunnel;
using static ProxyNet.Tests.Fakes.StreamText;

namespace ProxyNet.Tests.Tunnel;

/// <summary>
/// Proxy logins on the CONNECT path against loopback fakes: the 407 exchange stays on one connection, the strongest
/// offered scheme wins, Basic is withheld over plain TCP, and every failure is told in words.
/// </summary>
public sealed class TunnelLoginTests
{
    private static readonly ProxyTunnelOptions Quick = new() { ConnectTimeout = TimeSpan.FromSeconds(5), ResponseTimeout = TimeSpan.FromSeconds(3) };

    [Theory]
    [InlineData("Content-Length: 13\r\n\r\nlogin, please")]
    [InlineData("Transfer-Encoding: chunked\r\n\r\n5;x=y\r\nlogin\r\n8\r\n, please\r\n0\r\nX-Trailer: 1\r\n\r\n")]
    public async Task Basic_answers_the_407_on_the_same_connection(string bodyAndHeaders)
    {
        await using var proxy = new ScriptedServer(async (s, self, _) =>
        {
            string head;
            while ((head = await ScriptedServer.ReadHeadAsync(s)).Length > 0)
            {
                self.Received.Enqueue(head);
                await ScriptedServer.WriteAsync(s, head.Contains("Proxy-Authorization: Basic YWxpY2U6aHVudGVyMg==", StringComparison.Ordinal)
                    ? "HTTP/1.1 200 Connection established\r\n\r\nbanner"
                    : "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"x\"\r\n" + bodyAndHeaders);
            }
        });

        await using var stream = await ProxyTunnel.ConnectAsync(new Uri($"http://alice:hunter2@127.0.0.1:{proxy.Port}"), "example.com", 443, Quick);

        Assert.Equal("banner", await ReadSomeAsync(stream));
        Assert.Equal(1, proxy.Connections);
        Assert.Equal(2, proxy.Received.Count);
    }

    [Fact]
    public async Task Digest_is_chosen_over_Basic_and_computed_as_the_proxy_checks_it()
    {
        string? authorization = null;
        await using var proxy = new ScriptedServer(async (s, self, _) =>
        {
            string head;
            while ((head = await ScriptedServer.ReadHeadAsync(s)).Length > 0)
            {
                string? line = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Proxy-Authorization: ", StringComparison.Ordinal));
                if (line is null)
                {
                    await ScriptedServer.WriteAsync(s, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"r\"\r\n"
                        + "Proxy-Authenticate: Digest realm=\"r\", nonce=\"abc\", qop=\"auth\", algorithm=MD5\r\n"
                        + "Proxy-Authenticate: Digest realm=\"r\", nonce=\"abc\", qop=\"auth\", algorithm=SHA-256\r\nContent-Length: 0\r\n\r\n");
                    continue;
                }

                authorization = line["Proxy-Authorization: ".Length..];
                var answer = AuthChallenge.Parse([authorization]).Single();
                string expected = DigestAuthenticator.Compute(DigestAuthenticator.Hasher("SHA-256")!, "SHA-256", "alice", "hunter2", "r", "abc", answer["cnonce"]!, answer["nc"]!, "auth", "CONNECT", "db.internal:5432");
                await ScriptedServer.WriteAsync(s, answer["response"] == expected ? "HTTP/1.1 200 OK\r\n\r\n" : "HTTP/1.1 403 Wrong digest\r\nContent-Length: 0\r\n\r\n");
            }
        });

        await using var stream = await ProxyTunnel.ConnectAsync(new Uri($"http://alice:hunter2@127.0.0.1:{proxy.Port}"), "db.internal", 5432, Quick);

        Assert.StartsWith("Digest username=\"alice\"", authorization, StringComparison.Ordinal);
        Assert.Contains("algorithm=SHA-256", authorization, StringComparison.Ordinal);
        Assert.Equal(1, proxy.Connections);
    }

    [Fact]
    public async Task A_wrong_Digest_password_is_said_in_words_after_one_connection()
    {
        await using var proxy = new ScriptedServer(async (s, _, _) =>
        {
            while ((await ScriptedServer.ReadHeadAsync(s)).Length > 0)
            {
                await ScriptedServer.WriteAsync(s, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Digest realm=\"r\", nonce=\"n\", qop=\"auth\"\r\nContent-Length: 0\r\n\r\n");
            }
        });

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => ProxyTunnel.ConnectAsync(new Uri($"http://alice:wrong@127.0.0.1:{proxy.Port}"), "example.com", 443, Quick));

        Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, error.StatusCode);
        Assert.Contains("it offered Digest; tried Digest as user 'alice'; the proxy rejected the Digest login of user 'alice' (wrong password or unknown user)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong@", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, proxy.Connections);
    }

    [Fact]
    public async Task PreemptiveBasic_logs_in_with_the_first_CONNECT()
    {
        await using var proxy = new ScriptedServer(async (s, self) =>
        {
            string head = await ScriptedServer.ReadHeadAsync(s);
            self.Received.Enqueue(head);
            await ScriptedServer.WriteAsync(s, head.Contains("Proxy-Authorization: Basic ", StringComparison.Ordinal)
                ? "HTTP/1.1 200 OK\r\n\r\n"
                : "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n");
            await Task.Delay(200);
        });
        var options = new ProxyTunnelOptions { PreemptiveBasic = true, ResponseTimeout = Quick.ResponseTimeout };

        await using var stream = await ProxyTunnel.ConnectAsync(new Uri($"http://alice:hunter2@127.0.0.1:{proxy.Port}"), "example.com", 443, options);

        Assert.Single(proxy.Received);
    }

    [Fact]
    public async Task A_proxy_that_closes_after_the_407_gets_one_reconnect()
    {
        await using var proxy = new ScriptedServer(async (s, _, n) =>
        {
            string head = await ScriptedServer.ReadHeadAsync(s);
            await ScriptedServer.WriteAsync(s, head.Contains("Proxy-Authorization: Basic ", StringComparison.Ordinal)
                ? "HTTP/1.1 200 OK\r\n\r\nhello"
                : "HTTP/1.0 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"x\"\r\nConnection: close\r\n\r\n");
            await Task.Delay(n == 1 ? 0 : 500);
        });

        await using var stream = await ProxyTunnel.ConnectAsync(new Uri($"http://alice:hunter2@127.0.0.1:{proxy.Port}"), "example.com", 443, Quick);

        Assert.Equal("hello", await ReadSomeAsync(stream));
        Assert.Equal(2, proxy.Connections);
    }

    [Fact]
    public async Task A_proxy_that_resets_the_connection_after_the_407_gets_one_reconnect()
    {
        await using var proxy = new ScriptedServer(async (s, _, n) =>
        {
            string head = await ScriptedServer.ReadHeadAsync(s);
            if (n == 1)
            {
                await ScriptedServer.WriteAsync(s, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n");
                await ScriptedServer.ReadHeadAsync(s);
                s.Socket.LingerState = new LingerOption(true, 0);
                s.Socket.Close();
                return;
            }

            await ScriptedServer.WriteAsync(s, head.Contains("Proxy-Authorization: Basic ", StringComparison.Ordinal) ? "HTTP/1.1 200 OK\r\n\r\nhello" : "HTTP/1.1 500 No\r\n\r\n");
            await Task.Delay(500);
        });

        await using var stream = await ProxyTunnel.ConnectAsync(new Uri($"http://alice:hunter2@127.0.0.1:{proxy.Port}"), "example.com", 443, Quick);

        Assert.Equal("hello", await ReadSomeAsync(stream));
        Assert.Equal(2, proxy.Connections);
    }

    [Fact]
    public async Task Interim_1xx_answers_before_the_200_are_skipped()
    {
        await using var proxy = new ScriptedServer(async (s, _) =>
        {
            await ScriptedServer.ReadHeadAsync(s);
            await ScriptedServer.WriteAsync(s, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\nX: y\r\n\r\nHTTP/1.1 200 Connection established\r\n\r\nbanner");
            await Task.Delay(500);
        });

        await using var stream = await ProxyTunnel.ConnectAsync(new Uri(proxy.Url), "example.com", 443, Quick);

        Assert.Equal("banner", await ReadSomeAsync(stream));
    }

    [Fact]
    public async Task Basic_is_never_sent_over_plain_TCP_when_a_stronger_scheme_was_offered()
    {
        await using var proxy = new ScriptedServer(async (s, self) =>
        {
            string head;
            while ((head = await ScriptedServer.ReadHeadAsync(s)).Length > 0)
            {
                self.Received.Enqueue(head);
                await ScriptedServer.WriteAsync(s, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Negotiate\r\nProxy-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n");
            }
        });

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => ProxyTunnel.ConnectAsync(new Uri($"http://alice:hunter2@127.0.0.1:{proxy.Port}"), "example.com", 443, Quick));

        Assert.Contains("it offered Negotiate, Basic", error.Message, StringComparison.Ordinal);
        Assert.Contains("Basic was not sent: the connection to the proxy is plain TCP", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(proxy.Received, head => head.Contains("Basic ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, ProxyAuthSchemes.All, "no credentials are configured")]
    [InlineData("alice:hunter2@", ProxyAuthSchemes.None, "Basic is not in AuthSchemes (None)")]
    [InlineData("alice:hunter2@", ProxyAuthSchemes.Digest, "Basic is not in AuthSchemes (Digest)")]
    public async Task A_407_that_cannot_be_answered_says_why(string? userInfo, ProxyAuthSchemes schemes, string expected)
    {
        await using var proxy = new ScriptedServer(async (s, self) =>
        {
            self.Received.Enqueue(await ScriptedServer.ReadHeadAsync(s));
            await ScriptedServer.WriteAsync(s, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n");
        });
        var options = new ProxyTunnelOptions { AuthSchemes = schemes, ResponseTimeout = Quick.ResponseTimeout };

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => ProxyTunnel.ConnectAsync(new Uri($"http://{userInfo}127.0.0.1:{proxy.Port}"), "example.com", 443, options));

        Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, error.StatusCode);
        Assert.Contains($"refused CONNECT example.com:443 with 407 (login required): it offered Basic", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Single(proxy.Received);
    }

    [Theory]
    [InlineData("NTLM", "NTLM AAAA")]
    [InlineData("NTLM", "NTLM TlRMTVNTUAACAAAA")]
    [InlineData("Negotiate", "Negotiate oRQwEqADCgEBoQsGCSqGSIb3EgECAg==")]
    public async Task A_garbage_NTLM_or_Negotiate_challenge_is_a_failure_in_words(string scheme, string second)
    {
        await using var proxy = new ScriptedServer(async (s, _) =>
        {
            string head;
            while ((head = await ScriptedServer.ReadHeadAsync(s)).Length > 0)
            {
                string challenge = head.Contains("Proxy-Authorization", StringComparison.Ordinal) ? second : scheme;
                await ScriptedServer.WriteAsync(s, $"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: {challenge}\r\nContent-Length: 0\r\n\r\n");
            }
        });

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => ProxyTunnel.ConnectAsync(new Uri($"http://alice:hunter2@localhost:{proxy.Port}"), "example.com", 443, Quick));

        Assert.Contains($"it offered {scheme}; tried {scheme} as user 'alice'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{scheme}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_https_proxy_that_never_speaks_TLS_fails_within_the_connect_timeout()
    {
        await using var proxy = new ScriptedServer(async (s, _) => await Task.Delay(10_000));
        var options = new ProxyTunnelOptions { ConnectTimeout = TimeSpan.FromSeconds(1), ResponseTimeout = TimeSpan.FromSeconds(30) };

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => ProxyTunnel.ConnectAsync(new Uri($"https://127.0.0.1:{proxy.Port}"), "example.com", 443, options));

        Assert.Contains("did not complete the TLS handshake within 1 s", error.Message, StringComparison.Ordinal);
        Assert.IsType<TimeoutException>(error.InnerException);
    }

    [Fact]
    public async Task The_connect_timeout_bounds_every_login_leg_together()
    {
        await using var proxy = new ScriptedServer(async (s, _) =>
        {
            while ((await ScriptedServer.ReadHeadAsync(s)).Length > 0)
            {
                await Task.Delay(700);
                await ScriptedServer.WriteAsync(s, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Digest realm=\"r\", nonce=\"n\", stale=true\r\nContent-Length: 0\r\n\r\n");
            }
        });
        var options = new ProxyTunnelOptions { ConnectTimeout = TimeSpan.FromSeconds(1), ResponseTimeout = TimeSpan.FromSeconds(30) };

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => ProxyTunnel.ConnectAsync(new Uri($"http://alice:pw@127.0.0.1:{proxy.Port}"), "example.com", 443, options));

        Assert.Contains("did not open a tunnel to example.com:443 within 1 s", error.Message, StringComparison.Ordinal);
    }
}
