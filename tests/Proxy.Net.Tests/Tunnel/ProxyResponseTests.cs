using System.Net;
using ProxyNet.Tunnel;

namespace ProxyNet.Tests.Tunnel;

/// <summary>Reading the head of a proxy's CONNECT answer: status line, headers, body framing and connection reuse.</summary>
public sealed class ProxyResponseTests
{
    [Theory]
    [InlineData("HTTP/2 200 OK")]
    [InlineData("HTTP/1.1")]
    [InlineData("XYZ 200 OK")]
    [InlineData("SSH-2.0-OpenSSH_9.6")]
    [InlineData("HTTP/1.1 abc OK")]
    [InlineData("HTTP/1.1 2000 OK")]
    [InlineData("HTTP/1.1 20 OK")]
    [InlineData("HTTP/1.1 099 Low")]
    public void A_status_line_that_is_not_HTTP_1_is_not_a_response(string statusLine) =>
        Assert.Null(ProxyResponse.Parse(statusLine + "\r\nContent-Length: 0"));

    [Fact]
    public void The_status_and_reason_are_read()
    {
        var response = ProxyResponse.Parse("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"x\"")!;

        Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, response.Status);
        Assert.Equal("Proxy Authentication Required", response.Reason);
        Assert.Equal(["Basic realm=\"x\""], response.Challenges);
    }

    [Fact]
    public void A_missing_reason_phrase_is_empty()
    {
        var response = ProxyResponse.Parse("HTTP/1.1 200")!;

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(string.Empty, response.Reason);
    }

    [Fact]
    public void Lines_without_a_header_name_are_ignored()
    {
        var response = ProxyResponse.Parse("HTTP/1.1 200 OK\r\nno colon here\r\n: nameless\r\nX-Real : value ")!;

        Assert.Empty(response.Values(string.Empty));
        Assert.Empty(response.Values("no colon here"));
        Assert.Equal(["value"], response.Values("x-real"));
    }

    [Theory]
    [InlineData("Content-Length: 13", 13L)]
    [InlineData("Content-Length:  7 ", 7L)]
    [InlineData("Transfer-Encoding: chunked", -1L)]
    [InlineData("Transfer-Encoding: gzip, Chunked\r\nContent-Length: 5", -1L)]
    [InlineData("Transfer-Encoding: identity\r\nContent-Length: 5", 5L)]
    [InlineData("Content-Length: -3", null)]
    [InlineData("Content-Length: lots", null)]
    [InlineData("X-Other: 1", null)]
    public void The_body_length_follows_the_framing_headers(string headers, long? expected) =>
        Assert.Equal(expected, ProxyResponse.Parse("HTTP/1.1 407 Login\r\n" + headers)!.BodyLength);

    [Fact]
    public void A_response_without_headers_runs_to_the_end_of_the_connection() =>
        Assert.Null(ProxyResponse.Parse("HTTP/1.1 407 Login")!.BodyLength);

    [Theory]
    [InlineData("HTTP/1.1", "", true)]
    [InlineData("HTTP/1.1", "Connection: close", false)]
    [InlineData("HTTP/1.1", "Connection: CLOSE", false)]
    [InlineData("HTTP/1.1", "Proxy-Connection: close", false)]
    [InlineData("HTTP/1.1", "Connection: keep-alive, close", false)]
    [InlineData("HTTP/1.1", "Connection: Upgrade,,close", false)]
    [InlineData("HTTP/1.1", "Connection: close\r\nProxy-Connection: close", false)]
    [InlineData("HTTP/1.1", "Connection: close, close", false)]
    [InlineData("HTTP/1.1", "Connection: keep-alive", true)]
    [InlineData("HTTP/1.1", "Connection: closed", true)]
    [InlineData("HTTP/1.0", "", false)]
    [InlineData("HTTP/1.0", "Connection: keep-alive", true)]
    [InlineData("HTTP/1.0", "Proxy-Connection: Keep-Alive", true)]
    [InlineData("HTTP/1.0", "Connection: Upgrade, keep-alive", true)]
    [InlineData("HTTP/1.0", "Connection: keep-alive\r\nProxy-Connection: keep-alive", true)]
    [InlineData("HTTP/1.0", "Connection: keep-alive, close", false)]
    [InlineData("HTTP/1.0", "Connection: keepalive", false)]
    public void The_connection_is_kept_for_1_1_without_close_and_for_1_0_with_keep_alive(string version, string headers, bool keeps) =>
        Assert.Equal(keeps, ProxyResponse.Parse($"{version} 407 Login\r\n{headers}")!.KeepsConnection);

    [Theory]
    [InlineData(100, true)]
    [InlineData(199, true)]
    [InlineData(200, false)]
    [InlineData(407, false)]
    public void Interim_answers_are_1xx(int status, bool informational) =>
        Assert.Equal(informational, ProxyResponse.Parse($"HTTP/1.1 {status} X")!.IsInformational);
}
