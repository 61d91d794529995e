using ProxyNet.Resolution;

namespace ProxyNet.Tests.Resolution;

/// <summary>
/// Section 2: a proxy address as people write it. The error is the whole promised sentence (it reaches logs and the
/// CLI, so every word counts), and what is shown of a value never holds its password.
/// </summary>
public sealed class ProxyAddressTests
{
    [Theory]
    [InlineData("http://p:99999", "HTTP_PROXY: port 99999 is out of range")]
    [InlineData("http://p:0", "HTTP_PROXY: port 0 is out of range")]
    [InlineData("http://p:65535x", "HTTP_PROXY: the port is not a number (if a user name and password come before the host, end them with '@')")]
    [InlineData("http://u:pw@p:12ab", "HTTP_PROXY: the port is not a number")]
    [InlineData("http://p:", "HTTP_PROXY: the port after ':' is empty")]
    [InlineData("http://[::1]:", "HTTP_PROXY: the port after ':' is empty")]
    [InlineData("http://[::1]:x1", "HTTP_PROXY: the port is not a number")]
    [InlineData("http://[::1]:70000", "HTTP_PROXY: port 70000 is out of range")]
    [InlineData("http://pro xy:3128", "HTTP_PROXY: the proxy address holds a space ('pro xy'); write one proxy URL without spaces, like http://proxy:3128")]
    [InlineData("http:// proxy:3128", "HTTP_PROXY: the proxy address holds a space (' proxy'); write one proxy URL without spaces, like http://proxy:3128")]
    [InlineData("http://:3128", "HTTP_PROXY: the proxy host is empty")]
    [InlineData("http://", "HTTP_PROXY: the value is only the scheme 'http', with no proxy host (write http://HOST:PORT)")]
    [InlineData("https", "HTTP_PROXY: the value is only the scheme 'https', with no proxy host (write https://HOST:PORT)")]
    [InlineData("socks5:", "HTTP_PROXY: the value is only the scheme 'socks5', with no proxy host (write socks5://HOST:PORT)")]
    [InlineData("http//127.0.0.1:3128", "HTTP_PROXY: not a proxy URL: the ':' after 'http' is missing (write http://127.0.0.1:3128)")]
    [InlineData("HTTPS//proxy.corp", "HTTP_PROXY: not a proxy URL: the ':' after 'https' is missing (write https://proxy.corp)")]
    [InlineData("http:/host:3128", "HTTP_PROXY: not a proxy URL: 'http:' is followed by one '/' instead of two (write http://host:3128)")]
    [InlineData("http:host:3128", "HTTP_PROXY: not a proxy URL: the '//' after 'http:' is missing (write http://host:3128)")]
    [InlineData("http:3128", "HTTP_PROXY: 'http:3128' names the scheme but no proxy host (write http://HOST:3128)")]
    [InlineData("http//alice:hunter2@p:3128", "HTTP_PROXY: not a proxy URL: the ':' after 'http' is missing (write http://alice:***@p:3128)")]
    [InlineData("http:/alice:hunter2@p:3128", "HTTP_PROXY: not a proxy URL: 'http:' is followed by one '/' instead of two (write http://alice:***@p:3128)")]
    [InlineData("gopher://p", "HTTP_PROXY: unsupported proxy scheme 'gopher' (use http, https, socks5, socks5h, socks4 or socks4a)")]
    [InlineData("HTTP+X://p", "HTTP_PROXY: unsupported proxy scheme 'http+x' (use http, https, socks5, socks5h, socks4 or socks4a)")]
    [InlineData("1http://p", "HTTP_PROXY: the text before '://' is not a scheme (use http, https, socks5, socks5h, socks4 or socks4a)")]
    [InlineData("://p", "HTTP_PROXY: the text before '://' is not a scheme (use http, https, socks5, socks5h, socks4 or socks4a)")]
    [InlineData("u:pw@x/y://p", "HTTP_PROXY: the text before '://' is not a scheme (use http, https, socks5, socks5h, socks4 or socks4a)")]
    [InlineData("http://a:1 http://b:2", "HTTP_PROXY: the value holds more than one address or a space before '://' (write one proxy URL, like http://proxy:3128)")]
    [InlineData("http://a:1,http://b:2", "HTTP_PROXY: the value holds more than one address or a space before '://' (write one proxy URL, like http://proxy:3128)")]
    [InlineData("http://[::1:3128", "HTTP_PROXY: missing ']' after the IPv6 address '[::1:3128'")]
    [InlineData("http://[::1]x:3128", "HTTP_PROXY: unexpected 'x:3128' after the IPv6 address")]
    [InlineData("http://[1.2.3.4]:3128", "HTTP_PROXY: '1.2.3.4' is not an IPv6 address")]
    [InlineData("http://[proxy]:3128", "HTTP_PROXY: 'proxy' is not an IPv6 address")]
    [InlineData("http://::1:3128", "HTTP_PROXY: an IPv6 proxy address must be written in brackets, like http://[::1]:3128")]
    [InlineData("a:3128,b:3128", "HTTP_PROXY: the value holds more than one address or a space before '://' (write one proxy URL, like http://proxy:3128)")]
    [InlineData("http://a:1 http://u:pw@b:2", "HTTP_PROXY: the value holds more than one address or a space before '://' (write one proxy URL, like http://proxy:3128)")]
    [InlineData("http://bad\u0001host:1", "HTTP_PROXY: host 'bad?host' is not a valid host name")]
    public void A_broken_address_is_the_promised_error(string value, string expected)
    {
        Assert.False(ProxyAddressParser.TryParse(value, "HTTP_PROXY", out var endpoint, out string? error));
        Assert.Null(endpoint);
        Assert.Equal(expected, error);
        var decision = ProxyAddressParser.Decide(value, "HTTP_PROXY");
        Assert.True(decision.IsError);
        Assert.Equal(expected, decision.Error);
    }

    [Fact]
    public void A_long_hostile_host_is_cut_in_the_message()
    {
        string host = new('x', 150);
        Assert.False(ProxyAddressParser.TryParse($"http://{host}!y:1", "S", out _, out string? error));
        Assert.Equal($"S: host '{new string('x', 100)}…' is not a valid host name", error);
    }

    [Theory]
    [InlineData("p", "http", "p", 80)]
    [InlineData("https://p", "https", "p", 443)]
    [InlineData("socks5://p", "socks5", "p", 1080)]
    [InlineData("socks4a://p", "socks4a", "p", 1080)]
    [InlineData("HTTPS://P.Corp.:8443", "https", "p.corp", 8443)]
    [InlineData("p.corp.", "http", "p.corp", 80)]
    [InlineData("http://p:1", "http", "p", 1)]
    [InlineData("http://p:65535", "http", "p", 65535)]
    [InlineData("http://p:3128?x=1", "http", "p", 3128)]
    [InlineData("http://p:3128#frag", "http", "p", 3128)]
    [InlineData("http://[::1]", "http", "::1", 80)]
    [InlineData("http-proxy.corp:3128", "http", "http-proxy.corp", 3128)]
    [InlineData("https.corp", "http", "https.corp", 80)]
    [InlineData("httpproxy:8080", "http", "httpproxy", 8080)]
    [InlineData("https://[2001:DB8::1]", "https", "2001:db8::1", 443)]
    [InlineData("  http://p:3128  ", "http", "p", 3128)]
    public void A_good_address_keeps_scheme_host_and_port(string value, string scheme, string host, int port)
    {
        Assert.True(ProxyAddressParser.TryParse(value, "S", out var endpoint, out string? error), error);
        Assert.Null(error);
        Assert.Equal(scheme, endpoint!.Scheme);
        Assert.Equal(host, endpoint.Host);
        Assert.Equal(port, endpoint.Port);
        Assert.Null(endpoint.Credentials);
        Assert.Equal("S", ProxyAddressParser.Decide(value, "S").Reason);
    }

    [Theory]
    [InlineData("http://alice:pw@p:1", "alice", "pw")]
    [InlineData("http://alice@p:1", "alice", "")]
    [InlineData("http://a%40b:p%3Aw@p:1", "a@b", "p:w")]
    [InlineData("http://alice:p@w@p:1", "alice", "p@w")]
    [InlineData("http://:pw@p:1", "", "pw")]
    [InlineData("http://u:%zz@p:1", "u", "%zz")]
    public void User_information_becomes_credentials(string value, string user, string password)
    {
        Assert.True(ProxyAddressParser.TryParse(value, "S", out var endpoint, out _));
        Assert.Equal(user, endpoint!.Credentials!.UserName);
        Assert.Equal(password, endpoint.Credentials.Password);
        Assert.Equal("p", endpoint.Host);
    }

    [Theory]
    [InlineData("http://p:3128", "http://p:3128")]
    [InlineData("http://alice:hunter2@p:3128", "http://alice:***@p:3128")]
    [InlineData("alice:hunter2@p:3128", "alice:***@p:3128")]
    [InlineData("alice:hunter2@http://p:3128", "***@http://p:3128")]
    [InlineData("proxy:hunter2", "proxy:***")]
    [InlineData("http://proxy:hunter2", "http://proxy:***")]
    [InlineData("http://proxy:hunter2/", "http://proxy:***")]
    [InlineData("http://proxy:99999", "http://proxy:99999")]
    [InlineData("http://proxy:99999/", "http://proxy:99999/")]
    [InlineData("bad host", "bad host")]
    [InlineData("http://[::1]:1", "http://[::1]:1")]
    public void The_shown_value_never_holds_a_password(string value, string expected)
    {
        Assert.Equal(expected, ProxyAddressParser.Display(value));
    }

    [Theory]
    [InlineData("http", 80)]
    [InlineData("https", 443)]
    [InlineData("socks5", 1080)]
    [InlineData("socks4", 1080)]
    public void Default_ports_follow_the_scheme(string scheme, int port) => Assert.Equal(port, ProxyAddressParser.DefaultPort(scheme));
}
