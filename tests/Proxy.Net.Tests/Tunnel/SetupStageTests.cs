using ProxyNet.Tunnel;

namespace ProxyNet.Tests.Tunnel;

/// <summary>A setup timeout says which stage the proxy did not finish, in seconds rounded to one decimal.</summary>
public sealed class SetupStageTests
{
    [Theory]
    [InlineData(SetupStage.Tcp, 1500, "Proxy http://proxy:3128 did not accept a connection within 1.5 s")]
    [InlineData(SetupStage.Tcp, 1234, "Proxy http://proxy:3128 did not accept a connection within 1.2 s")]
    [InlineData(SetupStage.Tls, 30000, "Proxy http://proxy:3128 did not complete the TLS handshake within 30 s (is it an https:// proxy? ConnectTimeout bounds the whole tunnel setup)")]
    [InlineData(SetupStage.Connect, 2050, "Proxy http://proxy:3128 did not open a tunnel to example.com:443 within 2.1 s (ConnectTimeout bounds the whole setup: connection, TLS, CONNECT answers and login legs)")]
    public void The_timeout_message_names_the_stage_and_the_seconds(string stage, int milliseconds, string expected)
    {
        var setup = new SetupStage { Current = stage };

        Assert.Equal(expected, setup.TimeoutMessage("http://proxy:3128", "example.com:443", TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public void A_setup_starts_at_the_TCP_connection() =>
        Assert.Equal(SetupStage.Tcp, new SetupStage().Current);
}
