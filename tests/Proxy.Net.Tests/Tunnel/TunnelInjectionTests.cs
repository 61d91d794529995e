using System.Net;
using ProxyNet.Tests.Fakes;
using ProxyNet.Tunnel;

namespace ProxyNet.Tests.Tunnel;

/// <summary>
/// Issue 28: no control character from a login or a proxy's challenge reaches the CONNECT request, and a proxy's
/// reason phrase reaches no exception raw. The fake proxy records every byte it received.
/// </summary>
public sealed class TunnelInjectionTests
{
    /// <summary>A proxy that asks for Digest (with the given nonce) once, then refuses with a hostile reason phrase.</summary>
    private static ScriptedServer Proxy(string nonce, string reason = "Forbidden") => new(async (stream, self) =>
    {
        while (await ScriptedServer.ReadHeadAsync(stream) is { Length: > 0 } head)
        {
            self.Received.Enqueue(head);
            await ScriptedServer.WriteAsync(stream, head.Contains("Proxy-Authorization", StringComparison.Ordinal)
                ? $"HTTP/1.1 403 {reason}\r\nContent-Length: 0\r\n\r\n"
                : $"HTTP/1.1 407 Login\r\nProxy-Authenticate: Digest realm=\"r\", nonce=\"{nonce}\", qop=\"auth\"\r\nContent-Length: 0\r\n\r\n");
        }
    });

    [Theory]
    [InlineData("alice\r\nX-Injected: 1", "pw")]
    [InlineData("alice\nX-Injected: 1", "pw")]
    public async Task A_user_name_with_CR_or_LF_is_never_written_into_the_CONNECT(string user, string password)
    {
        await using var proxy = Proxy("n1");

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => ProxyTunnel.ConnectAsync(new Uri(proxy.Url), "origin.test", 443, new ProxyTunnelOptions { Credentials = new NetworkCredential(user, password) }));

        Assert.DoesNotContain(proxy.Received, head => head.Contains("X-Injected", StringComparison.Ordinal));
        Assert.Contains("control character", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_with_CR_or_LF_only_ever_goes_hashed()
    {
        await using var proxy = Proxy("n1");

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => ProxyTunnel.ConnectAsync(new Uri(proxy.Url), "origin.test", 443, new ProxyTunnelOptions { Credentials = new NetworkCredential("alice", "pw\r\nX-Injected: 1") }));

        Assert.Contains(proxy.Received, head => head.Contains("Proxy-Authorization: Digest username=\"alice\"", StringComparison.Ordinal));
        Assert.DoesNotContain(proxy.Received, head => head.Contains("X-Injected", StringComparison.Ordinal));
        Assert.DoesNotContain("pw", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_nonce_with_a_bare_LF_from_the_proxy_is_never_echoed_into_a_header()
    {
        await using var proxy = Proxy("n1\nX-Injected: 1");

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => ProxyTunnel.ConnectAsync(new Uri(proxy.Url), "origin.test", 443, new ProxyTunnelOptions { Credentials = new NetworkCredential("alice", "pw") }));

        Assert.All(proxy.Received, head => Assert.DoesNotContain("\nX-Injected", head, StringComparison.Ordinal));
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task A_reason_phrase_with_escape_sequences_is_escaped_in_the_exception()
    {
        await using var proxy = new ScriptedServer(async (stream, _) =>
        {
            await ScriptedServer.ReadHeadAsync(stream);
            await ScriptedServer.WriteAsync(stream, "HTTP/1.1 403 Denied\u001b[31m\u0007 \rby policy\r\nContent-Length: 0\r\n\r\n");
        });

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => ProxyTunnel.ConnectAsync(new Uri(proxy.Url), "origin.test", 443));

        Assert.Contains(@"Denied\x1b[31m\x07 \x0dby policy", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(error.Message, c => c < ' ');
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
    }
}
