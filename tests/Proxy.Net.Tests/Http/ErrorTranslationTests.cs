using System.Net;
using System.Net.Sockets;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;
using ProxyNet.Tls;
using ProxyNet.Tunnel;

namespace ProxyNet.Tests.Http;

/// <summary>
/// What the caller sees when a route's transport fails: the runtime's own exception where it already says enough,
/// words about the proxy where it does not, and anything that is not a transport failure passed through untouched.
/// </summary>
public sealed class ErrorTranslationTests
{
    private const string Proxy = "http://proxy.test:3128";

    [Theory]
    [InlineData(null)]
    [InlineData(Proxy)]
    public async Task An_exception_that_is_no_transport_failure_passes_through_untouched(string? proxy)
    {
        var thrown = new InvalidOperationException("not a network problem");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Send(proxy, thrown));
        Assert.Same(thrown, error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(Proxy)]
    public async Task A_cancellation_passes_through_untouched(string? proxy)
    {
        var thrown = new OperationCanceledException("stop");
        var error = await Assert.ThrowsAsync<OperationCanceledException>(() => Send(proxy, thrown));
        Assert.Same(thrown, error);
    }

    [Fact]
    public async Task The_runtime_own_HttpRequestException_on_DIRECT_is_kept_as_it_is()
    {
        var thrown = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (origin.test:80)", new SocketException((int)SocketError.ConnectionRefused));
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Send(null, thrown));
        Assert.Same(thrown, error);
    }

    [Theory]
    [InlineData(SocketError.ConnectionRefused, HttpRequestError.ConnectionError, "refused the connection: nothing listens on port 3128 of proxy.test (is the proxy running, and is the port right?)")]
    [InlineData(SocketError.HostNotFound, HttpRequestError.NameResolutionError, "does not resolve: DNS knows no host 'proxy.test' (check the spelling in Proxy:HttpProxy, or the resolver)")]
    [InlineData(SocketError.TimedOut, HttpRequestError.ConnectionError, "did not accept a connection in time (is the address right, and is a firewall dropping the packets?)")]
    [InlineData(SocketError.HostUnreachable, HttpRequestError.ConnectionError, "is unreachable from this machine: no route to proxy.test")]
    [InlineData(SocketError.ConnectionReset, HttpRequestError.ConnectionError, "closed the connection before answering")]
    public async Task A_proxy_that_cannot_be_reached_is_named_with_its_setting_and_the_reason_in_words(SocketError code, HttpRequestError kind, string words)
    {
        var thrown = new HttpRequestException(kind, $"{code} (proxy.test:3128)", new SocketException((int)code));
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Send(Proxy, thrown));
        Assert.Equal($"Proxy http://proxy.test:3128 (Proxy:HttpProxy) {words}", error.Message);
        Assert.Equal(kind, error.HttpRequestError);
        Assert.Same(thrown, error.InnerException);
        Assert.True(error.Data.Contains("ProxyNet.Explained"));
    }

    [Fact]
    public async Task A_FormatException_on_DIRECT_passes_through_untouched()
    {
        var thrown = new FormatException("bad header value");
        var error = await Assert.ThrowsAsync<FormatException>(() => Send(null, thrown));
        Assert.Same(thrown, error);
    }

    [Theory]
    [InlineData("http://alice:hunter2@proxy.test:3128", false, "Proxy http://proxy.test:3128 (Proxy:HttpProxy) sent")]
    [InlineData(Proxy, true, "Proxy http://proxy.test:3128 (Proxy:HttpProxy) sent")]
    public async Task A_FormatException_from_an_http_proxy_login_says_to_set_AlwaysTunnel(string proxy, bool currentUser, string start)
    {
        using var telemetry = new TelemetryCapture();
        var thrown = new FormatException("Negotiate token=abc");
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Send(proxy, thrown, useDefaultCredentials: currentUser));
        Assert.Same(thrown, error.InnerException);
        Assert.Equal(HttpRequestError.UserAuthenticationError, error.HttpRequestError);
        Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, error.StatusCode);
        Assert.StartsWith($"{start} a login challenge that .NET's HTTP stack cannot read for origin.test:80", error.Message, StringComparison.Ordinal);
        Assert.Contains("set AlwaysTunnel on this client", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, telemetry.Sum("proxynet.proxy.failures", "kind", "auth"));
    }

    [Fact]
    public async Task A_FormatException_through_a_proxy_without_a_login_is_no_login_problem()
    {
        // The runtime answers a 407 only with credentials to offer: without them, a FormatException is someone else's.
        using var telemetry = new TelemetryCapture();
        var thrown = new FormatException("bad header value");
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Send(Proxy, thrown));
        Assert.Same(thrown, error.InnerException);
        Assert.Equal(HttpRequestError.Unknown, error.HttpRequestError);
        Assert.Equal("bad header value", error.Message);
        Assert.Equal(0, telemetry.Sum("proxynet.proxy.failures", "kind", "auth"));
    }

    [Fact]
    public async Task A_FormatException_through_a_SOCKS_proxy_is_no_login_problem()
    {
        var thrown = new FormatException("odd");
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Send("socks5://proxy.test:1080", thrown));
        Assert.Same(thrown, error.InnerException);
        Assert.Equal(HttpRequestError.Unknown, error.HttpRequestError);
        Assert.Equal("odd", error.Message);
    }

    [Fact]
    public async Task An_IOException_on_DIRECT_becomes_an_HttpRequestException_around_it()
    {
        var thrown = new IOException("reset by peer");
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Send(null, thrown));
        Assert.Same(thrown, error.InnerException);
        Assert.Equal(HttpRequestError.Unknown, error.HttpRequestError);
        Assert.Equal("reset by peer", error.Message);
    }

    [Fact]
    public async Task A_plain_IOException_through_a_proxy_is_an_unknown_error_with_its_message()
    {
        var thrown = new IOException("half a response");
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Send(Proxy, thrown));
        Assert.Same(thrown, error.InnerException);
        Assert.Equal(HttpRequestError.Unknown, error.HttpRequestError);
        Assert.Equal("half a response", error.Message);
    }

    [Fact]
    public async Task A_tunnel_failure_keeps_the_tunnel_words_and_status()
    {
        var thrown = new ProxyTunnelException("Proxy https://proxy.test:3128 answered 403 to CONNECT origin.test:443", HttpStatusCode.Forbidden);
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Send(Proxy, new HttpRequestException("wrapped", thrown)));
        Assert.Equal(HttpRequestError.ProxyTunnelError, error.HttpRequestError);
        Assert.Equal(thrown.Message, error.Message);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
    }

    [Fact]
    public async Task A_NET8_style_CONNECT_failure_is_read_from_its_message()
    {
        // .NET 8 sets no StatusCode: the code is only in the message, in quotes.
        var thrown = new HttpRequestException(HttpRequestError.ProxyTunnelError, "The proxy tunnel request to proxy 'http://proxy.test:3128/' failed with status code '502'.");
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Send(Proxy, thrown));
        Assert.Equal("Proxy http://proxy.test:3128 (Proxy:HttpProxy) answered 502 Bad Gateway for origin.test:80 (the proxy could not reach it)", error.Message);
        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.Same(thrown, error.InnerException);
    }

    [Fact]
    public async Task A_refusal_without_a_code_says_so()
    {
        var thrown = new HttpRequestException(HttpRequestError.ProxyTunnelError, "The SOCKS server refused the connection.");
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Send("socks5://proxy.test:1080", thrown));
        Assert.Equal("Proxy socks5://proxy.test:1080 (Proxy:HttpProxy) answered a refusal for origin.test:80", error.Message);
        Assert.Null(error.StatusCode);
        Assert.Equal(HttpRequestError.ProxyTunnelError, error.HttpRequestError);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(Proxy)]
    public async Task An_untrusted_certificate_is_a_secure_connection_error_in_words(string? proxy)
    {
        var logs = new ListLoggerProvider();
        var trust = new CertificateTrustException("origin.test presents a self-signed certificate; add its CA to Tls:OriginCaCertificates");
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Send(proxy, new HttpRequestException("SSL failed", new IOException("handshake", trust)), logs));
        Assert.Equal(HttpRequestError.SecureConnectionError, error.HttpRequestError);
        Assert.Equal($"TLS: {trust.Message}", error.Message);
        Assert.Contains(logs.Lines, l => l.Contains($"[7] TLS to http://origin.test/ failed: {trust.Message}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dead_proxy_is_a_connection_error_not_a_failover_summary()
    {
        int dead = Ports.Closed();

        var resolver = ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false, HttpProxy = $"http://127.0.0.1:{dead}" });
        using var client = new HttpClient(ProxyNet.Http.ProxyNetHandler.Create(resolver)) { Timeout = TimeSpan.FromSeconds(20) };

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("http://origin.test/"));

        Assert.Equal(HttpRequestError.ConnectionError, error.HttpRequestError);
        Assert.DoesNotContain("No proxy could be reached", error.Message, StringComparison.Ordinal);
    }

    private static async Task Send(string? proxy, Exception thrown, ListLoggerProvider? logs = null, bool useDefaultCredentials = false)
    {
        var routes = new FakeRoutes(_ => throw thrown);
        using var client = routes.Client(new ProxyNetOptions { HttpProxy = proxy, UseDefaultCredentials = useDefaultCredentials }, logger: logs?.CreateLogger("ProxyNet"));
        using var response = await client.GetAsync("http://origin.test/");
    }
}
