using ProxyNet.Resolution;
using ProxyNet.Tunnel;

namespace ProxyNet.Tests.Tunnel;

/// <summary>What <see cref="ProxyTunnel.ConnectAsync(Uri, string, int, ProxyTunnelOptions?, CancellationToken)"/> refuses before it connects anywhere.</summary>
public sealed class TunnelArgumentTests
{
    private const string Nowhere = "http://127.0.0.1:1";

    [Fact]
    public async Task A_null_proxy_is_an_ArgumentNullException()
    {
        var fromUri = await Assert.ThrowsAsync<ArgumentNullException>(() => ProxyTunnel.ConnectAsync((Uri)null!, "example.com", 443));
        var fromEndpoint = await Assert.ThrowsAsync<ArgumentNullException>(() => ProxyTunnel.ConnectAsync((ProxyEndpoint)null!, "example.com", 443));

        Assert.Equal("proxy", fromUri.ParamName);
        Assert.Equal("proxy", fromEndpoint.ParamName);
    }

    [Fact]
    public async Task A_proxy_URL_that_does_not_parse_is_a_configuration_error_naming_it()
    {
        var error = await Assert.ThrowsAsync<ProxyConfigurationException>(() => ProxyTunnel.ConnectAsync(new Uri("ftp://127.0.0.1:21"), "example.com", 443));

        Assert.StartsWith("proxy: unsupported proxy scheme 'ftp'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("socks5://127.0.0.1:1080", "socks5")]
    [InlineData("socks4a://127.0.0.1:1080", "socks4a")]
    public async Task A_SOCKS_proxy_cannot_carry_a_CONNECT_tunnel(string proxy, string scheme)
    {
        var error = await Assert.ThrowsAsync<ProxyConfigurationException>(() => ProxyTunnel.ConnectAsync(new Uri(proxy), "example.com", 443));

        Assert.Equal($"Proxy {proxy}: CONNECT tunnels need an http:// or https:// proxy, not {scheme}", error.Message);
    }

    [Fact]
    public async Task A_SOCKS_endpoint_cannot_carry_a_CONNECT_tunnel()
    {
        Assert.True(ProxyAddressParser.TryParse("socks5h://127.0.0.1:1080", "test", out var endpoint, out _));

        var error = await Assert.ThrowsAsync<ProxyConfigurationException>(() => ProxyTunnel.ConnectAsync(endpoint!, "example.com", 443));

        Assert.EndsWith("not socks5h", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65536)]
    public async Task A_port_outside_1_to_65535_is_out_of_range(int port)
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ProxyTunnel.ConnectAsync(new Uri(Nowhere), "example.com", port));

        Assert.Equal("port", error.ParamName);
    }

    [Theory]
    [InlineData("example.com\r\nX-Injected: 1")]
    [InlineData("exa mple.com")]
    [InlineData("user@example.com")]
    [InlineData("example.com?x")]
    [InlineData("example.com#x")]
    public async Task A_target_host_that_could_smuggle_a_request_is_refused_in_words(string host)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ProxyTunnel.ConnectAsync(new Uri(Nowhere), host, 443));

        Assert.Equal("host", error.ParamName);
        Assert.StartsWith("The tunnel target host contains a control character, a space or a URL delimiter (refused: request smuggling).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_lowest_and_highest_ports_are_valid_targets()
    {
        ProxyTunnel.ValidateTarget("example.com", 1);
        ProxyTunnel.ValidateTarget("::1", 65535);
    }
}
