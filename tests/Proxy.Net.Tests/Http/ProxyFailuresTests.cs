using System.Net;
using System.Net.Sockets;
using ProxyNet.Http;
using ProxyNet.Tunnel;

namespace ProxyNet.Tests.Http;

/// <summary>What each transport failure says about the proxy, and the status a refusal carries.</summary>
public sealed class ProxyFailuresTests
{
    public static TheoryData<Exception, string> Kinds => new()
    {
        { new ProxyTunnelException("no answer"), "Unusable" },
        { new ProxyTunnelException("refused", HttpStatusCode.Forbidden), "Refused" },
        { new HttpRequestException("wrapped", new ProxyTunnelException("refused", HttpStatusCode.BadGateway)), "Refused" },
        { new HttpRequestException("wrapped", new IOException("io", new ProxyTunnelException("down"))), "Unusable" },
        { new SocketException((int)SocketError.ConnectionRefused), "Unusable" },
        { new IOException("reset"), "None" },
        { new InvalidOperationException("bug"), "None" },
        { new HttpRequestException(HttpRequestError.ConnectionError, "refused"), "Unusable" },
        { new HttpRequestException(HttpRequestError.NameResolutionError, "no such host"), "Unusable" },
        { new HttpRequestException(HttpRequestError.ProxyTunnelError, "broke", new HttpIOException(HttpRequestError.ResponseEnded)), "Unusable" },
        { new HttpRequestException(HttpRequestError.ProxyTunnelError, "broke", new SocketException((int)SocketError.ConnectionReset)), "Unusable" },
        { new HttpRequestException(HttpRequestError.ProxyTunnelError, "failed with status code '403'"), "Refused" },
        { new HttpRequestException(HttpRequestError.Unknown, "x", new SocketException((int)SocketError.TimedOut)), "Unusable" },
        { new HttpRequestException(HttpRequestError.Unknown, "x", new IOException("y")), "None" },
        { new HttpRequestException(HttpRequestError.SecureConnectionError, "tls"), "None" },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_failure_is_classified(Exception e, string expected) =>
        Assert.Equal(expected, ProxyFailures.Classify(e).ToString());

    [Theory]
    [InlineData("The proxy tunnel request to proxy 'http://p:3128/' failed with status code '403'.", 403)]
    [InlineData("'502'", 502)]
    [InlineData("code '504' then text", 504)]
    [InlineData("no quotes at all", null)]
    [InlineData("'403", null)]
    [InlineData("403'", null)]
    [InlineData("proxy 'abc' refused", null)]
    [InlineData("code '4031'", null)]
    [InlineData("code '40'", null)]
    [InlineData("code ' 40'", null)]
    public void A_NET8_message_gives_the_status_in_quotes(string message, int? status) =>
        Assert.Equal((HttpStatusCode?)status, ProxyFailures.RefusalStatus(new HttpRequestException(HttpRequestError.ProxyTunnelError, message)));

    [Fact]
    public void A_status_carried_by_the_exception_wins_over_the_message()
    {
        Assert.Equal(HttpStatusCode.GatewayTimeout, ProxyFailures.RefusalStatus(new HttpRequestException("'403'", new ProxyTunnelException("t", HttpStatusCode.GatewayTimeout))));
        Assert.Equal(HttpStatusCode.BadGateway, ProxyFailures.RefusalStatus(new HttpRequestException("'403'", null, HttpStatusCode.BadGateway)));
    }

    [Fact]
    public void Find_looks_through_inner_exceptions()
    {
        var tunnel = new ProxyTunnelException("t");
        Assert.Same(tunnel, ProxyFailures.Find<ProxyTunnelException>(new HttpRequestException("a", new IOException("b", tunnel))));
        Assert.Null(ProxyFailures.Find<ProxyTunnelException>(new HttpRequestException("a", new IOException("b"))));
        Assert.Null(ProxyFailures.Find<ProxyTunnelException>(null));
    }
}
