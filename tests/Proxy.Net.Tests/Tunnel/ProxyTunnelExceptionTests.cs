using System.Net;
using ProxyNet.Tunnel;

namespace ProxyNet.Tests.Tunnel;

/// <summary>The tunnel failure exception's constructors.</summary>
public sealed class ProxyTunnelExceptionTests
{
    [Fact]
    public void The_default_message_says_no_tunnel_was_opened()
    {
        var error = new ProxyTunnelException();

        Assert.Equal("The proxy did not open a tunnel.", error.Message);
        Assert.Null(error.StatusCode);
    }

    [Fact]
    public void The_status_and_cause_are_kept()
    {
        var cause = new TimeoutException();

        var error = new ProxyTunnelException("refused", HttpStatusCode.Forbidden, cause);

        Assert.Equal("refused", error.Message);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Same(cause, error.InnerException);
        Assert.Same(cause, new ProxyTunnelException("x", cause).InnerException);
        Assert.Equal("y", new ProxyTunnelException("y").Message);
    }
}
