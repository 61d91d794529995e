using ProxyNet.Authentication;
using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Tunnel;

namespace ProxyNet.IntegrationTests.Tunnel;

/// <summary>Basic and Digest logins on the CONNECT path against real squid, one client connection per tunnel.</summary>
public sealed class SquidLoginTests
{
    private const string User = "alice";
    private const string Password = "p@ss w0rd";

    [Fact]
    public async Task Digest_login_through_CONNECT_on_one_connection_per_tunnel()
    {
        await using var squid = await SquidServer.StartAsync(login: SquidServer.DigestLogin(User, Password));
        await using var origin = new LoginOrigin();
        var options = new ProxyTunnelOptions { Credentials = new(User, Password) };

        await origin.TunnelAsync(new Uri(squid.Url), options);
        await origin.TunnelAsync(new Uri(squid.Url), options);

        await origin.AssertOneConnectionPerTunnelAsync(squid, tunnels: 2, User);
    }

    [Fact]
    public async Task A_wrong_Digest_password_is_said_in_words()
    {
        await using var squid = await SquidServer.StartAsync(login: SquidServer.DigestLogin(User, Password));
        await using var origin = new LoginOrigin();

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => origin.TunnelAsync(new Uri(squid.Url), new ProxyTunnelOptions { Credentials = new(User, "wrong") }));

        Assert.Contains("it offered Digest; tried Digest as user 'alice'; the proxy rejected the Digest login of user 'alice' (wrong password or unknown user)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", error.Message.Replace("wrong password", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Basic_login_through_CONNECT_on_one_connection_per_tunnel()
    {
        await using var squid = await SquidServer.StartAsync(User, Password);
        await using var origin = new LoginOrigin();
        var options = new ProxyTunnelOptions { Credentials = new(User, Password) };

        await origin.TunnelAsync(new Uri(squid.Url), options);
        await origin.TunnelAsync(new Uri(squid.Url), options);

        await origin.AssertOneConnectionPerTunnelAsync(squid, tunnels: 2, User);
    }

    [Fact]
    public async Task PreemptiveBasic_needs_no_407_at_all()
    {
        await using var squid = await SquidServer.StartAsync(User, Password);
        await using var origin = new LoginOrigin();

        await origin.TunnelAsync(new Uri(squid.Url), new ProxyTunnelOptions { Credentials = new(User, Password), PreemptiveBasic = true });

        var lines = await squid.WaitForAsync(origin.Target, l => l.Any(r => r.Status == "200"));
        Assert.Equal([("200", User)], lines.Select(r => (r.Status, r.User)));
    }

    [Fact]
    public async Task AuthSchemes_without_Digest_refuses_squids_Digest_in_words()
    {
        await using var squid = await SquidServer.StartAsync(login: SquidServer.DigestLogin(User, Password));
        await using var origin = new LoginOrigin();

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => origin.TunnelAsync(
            new Uri(squid.Url), new ProxyTunnelOptions { Credentials = new(User, Password), AuthSchemes = ProxyAuthSchemes.Basic | ProxyAuthSchemes.Negotiate }));

        Assert.Contains("it offered Digest; Digest is not in AuthSchemes (Basic, Negotiate)", error.Message, StringComparison.Ordinal);
    }
}
