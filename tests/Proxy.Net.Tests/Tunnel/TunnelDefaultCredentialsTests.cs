using System.Net;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;
using ProxyNet.Tunnel;

namespace ProxyNet.Tests.Tunnel;

/// <summary>UseDefaultCredentials from the tunnel options or from the endpoint's login both log in as the current user.</summary>
public sealed class TunnelDefaultCredentialsTests
{
    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Either_source_of_UseDefaultCredentials_tries_the_current_user(bool inOptions, bool inEndpoint)
    {
        await using var proxy = new ScriptedServer(async (s, self) =>
        {
            string head;
            while ((head = await ScriptedServer.ReadHeadAsync(s)).Length > 0)
            {
                self.Received.Enqueue(head);
                await ScriptedServer.WriteAsync(s, "HTTP/1.1 407 Login\r\nProxy-Authenticate: NTLM\r\nContent-Length: 0\r\n\r\n");
            }
        });
        Assert.True(ProxyAddressParser.TryParse(proxy.Url, "test", out var endpoint, out _));
        var options = new ProxyTunnelOptions { UseDefaultCredentials = inOptions, ResponseTimeout = TimeSpan.FromSeconds(5) };

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() =>
            ProxyTunnel.ConnectAsync(endpoint!.WithLogin(new ProxyLogin(inEndpoint, ProxyAuthSchemes.All, false)), "example.com", 443, options));

        Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, error.StatusCode);
        Assert.Contains("tried NTLM as the current user", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("no credentials are configured", error.Message, StringComparison.Ordinal);
    }
}
