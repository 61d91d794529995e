using ProxyNet.Resolution;

namespace ProxyNet.Tests.Resolution;

/// <summary>Sections 1 and 2 of the semantics file: which variable applies, and how its value is read.</summary>
public sealed class EnvironmentResolutionTests
{
    [Theory]
    // scheme to variable
    [InlineData("HTTP_PROXY=http://p:3128", "http://example.com/", "http://p:3128", "HTTP_PROXY")]
    [InlineData("HTTPS_PROXY=http://p:3128", "https://example.com/", "http://p:3128", "HTTPS_PROXY")]
    [InlineData("FTP_PROXY=http://p:3128", "ftp://example.com/", "http://p:3128", "FTP_PROXY")]
    [InlineData("HTTP_PROXY=http://p:3128", "ws://example.com/", "http://p:3128", "HTTP_PROXY")]
    [InlineData("HTTPS_PROXY=http://p:3128", "wss://example.com/", "http://p:3128", "HTTPS_PROXY")]
    [InlineData("ALL_PROXY=http://all:1", "http://example.com/", "http://all:1", "ALL_PROXY")]
    [InlineData("ALL_PROXY=http://all:1", "https://example.com/", "http://all:1", "ALL_PROXY")]
    [InlineData("ALL_PROXY=http://all:1", "ftp://example.com/", "http://all:1", "ALL_PROXY")]
    [InlineData("all_proxy=http://all:1", "wss://example.com/", "http://all:1", "all_proxy")]
    [InlineData("all_proxy=http://all:1", "http://example.com/", "http://all:1", "all_proxy")]
    [InlineData("all_proxy=http://all:1", "ftp://example.com/", "http://all:1", "all_proxy")]
    // no cross-scheme fallback
    [InlineData("HTTP_PROXY=http://p:3128", "https://example.com/", null, "no proxy variable set for https")]
    [InlineData("HTTPS_PROXY=http://p:3128", "http://example.com/", null, "no proxy variable set for http")]
    [InlineData("HTTP_PROXY=http://p:3128", "ftp://example.com/", null, "no proxy variable set for ftp")]
    [InlineData("HTTPS_PROXY=http://p:3128", "ftp://example.com/", null, "no proxy variable set for ftp")]
    [InlineData("HTTP_PROXY=http://p:3128", "wss://example.com/", null, "no proxy variable set for https")]
    // lowercase beats uppercase, specific beats ALL_PROXY
    [InlineData("http_proxy=http://lower:1|HTTP_PROXY=http://upper:2", "http://example.com/", "http://lower:1", "http_proxy")]
    [InlineData("https_proxy=http://lower:1|HTTPS_PROXY=http://upper:2", "https://example.com/", "http://lower:1", "https_proxy")]
    [InlineData("ftp_proxy=http://lower:1|FTP_PROXY=http://upper:2", "ftp://example.com/", "http://lower:1", "ftp_proxy")]
    [InlineData("all_proxy=http://lower:1|ALL_PROXY=http://upper:2", "http://example.com/", "http://lower:1", "all_proxy")]
    [InlineData("HTTP_PROXY=http://upper:2|all_proxy=http://all:3", "http://example.com/", "http://upper:2", "HTTP_PROXY")]
    [InlineData("https_proxy=http://s:1|ALL_PROXY=http://all:3", "https://example.com/", "http://s:1", "https_proxy")]
    // empty counts as unset, values are trimmed
    [InlineData("http_proxy=|HTTP_PROXY=http://upper:2", "http://example.com/", "http://upper:2", "HTTP_PROXY")]
    [InlineData("http_proxy=   |HTTP_PROXY=http://upper:2", "http://example.com/", "http://upper:2", "HTTP_PROXY")]
    [InlineData("HTTP_PROXY=|ALL_PROXY=http://all:1", "http://example.com/", "http://all:1", "ALL_PROXY")]
    [InlineData("HTTP_PROXY=  http://p:3128  ", "http://example.com/", "http://p:3128", "HTTP_PROXY")]
    [InlineData("HTTP_PROXY=", "http://example.com/", null, "no proxy variable set for http")]
    [InlineData("", "http://example.com/", null, "no proxy variable set for http")]
    // CGI rule (httpoxy)
    [InlineData("REQUEST_METHOD=GET|HTTP_PROXY=http://evil:1", "http://example.com/", null, "no proxy variable set for http")]
    [InlineData("REQUEST_METHOD=|HTTP_PROXY=http://evil:1", "http://example.com/", null, "no proxy variable set for http")]
    [InlineData("REQUEST_METHOD=GET|HTTP_PROXY=http://evil:1|http_proxy=http://good:2", "http://example.com/", "http://good:2", "http_proxy")]
    [InlineData("REQUEST_METHOD=GET|HTTP_PROXY=http://evil:1|ALL_PROXY=http://all:3", "http://example.com/", "http://all:3", "ALL_PROXY")]
    [InlineData("REQUEST_METHOD=POST|HTTPS_PROXY=http://s:1", "https://example.com/", "http://s:1", "HTTPS_PROXY")]
    [InlineData("REQUEST_METHOD=GET|FTP_PROXY=http://f:1", "ftp://example.com/", "http://f:1", "FTP_PROXY")]
    // the address: default scheme and ports, IPv6, IDN, credentials stripped
    [InlineData("HTTP_PROXY=proxy.corp:3128", "http://example.com/", "http://proxy.corp:3128", "HTTP_PROXY")]
    [InlineData("HTTP_PROXY=proxy.corp", "http://example.com/", "http://proxy.corp:80", "HTTP_PROXY")]
    [InlineData("HTTP_PROXY=http://proxy.corp", "http://example.com/", "http://proxy.corp:80", "HTTP_PROXY")]
    [InlineData("HTTPS_PROXY=https://proxy.corp", "https://example.com/", "https://proxy.corp:443", "HTTPS_PROXY")]
    [InlineData("HTTP_PROXY=socks5://s", "http://example.com/", "socks5://s:1080", "HTTP_PROXY")]
    [InlineData("HTTP_PROXY=socks5h://s:9050", "http://example.com/", "socks5h://s:9050", "HTTP_PROXY")]
    [InlineData("HTTP_PROXY=socks4://s", "http://example.com/", "socks4://s:1080", "HTTP_PROXY")]
    [InlineData("HTTP_PROXY=socks4a://s", "http://example.com/", "socks4a://s:1080", "HTTP_PROXY")]
    [InlineData("HTTP_PROXY=HTTP://Proxy.Corp:3128/", "http://example.com/", "http://proxy.corp:3128", "HTTP_PROXY")]
    [InlineData("HTTP_PROXY=http://[::1]:3128", "http://example.com/", "http://[::1]:3128", "HTTP_PROXY")]
    [InlineData("HTTP_PROXY=http://[0:0:0:0:0:0:0:1]:3128", "http://example.com/", "http://[::1]:3128", "HTTP_PROXY")]
    [InlineData("HTTP_PROXY=[::1]:3128", "http://example.com/", "http://[::1]:3128", "HTTP_PROXY")]
    [InlineData("HTTP_PROXY=http://user:secret@proxy:3128", "http://example.com/", "http://proxy:3128", "HTTP_PROXY")]
    [InlineData("HTTP_PROXY=user:secret@proxy:3128", "http://example.com/", "http://proxy:3128", "HTTP_PROXY")]
    [InlineData("HTTP_PROXY=http://10.0.0.1:8080", "http://example.com/", "http://10.0.0.1:8080", "HTTP_PROXY")]
    [InlineData("HTTP_PROXY=http://p:3128/some/path", "http://example.com/", "http://p:3128", "HTTP_PROXY")]
    [InlineData("HTTP_PROXY=http://прокси.рф:3128", "http://example.com/", "http://xn--h1adldfi.xn--p1ai:3128", "HTTP_PROXY")]
    // NO_PROXY over the proxy
    [InlineData("HTTP_PROXY=http://p:3128|NO_PROXY=10.0.0.0/8", "http://10.1.2.3/", null, "NO_PROXY entry 10.0.0.0/8")]
    [InlineData("HTTP_PROXY=http://p:3128|NO_PROXY=10.0.0.0/8", "http://example.com/", "http://p:3128", "HTTP_PROXY")]
    [InlineData("HTTP_PROXY=http://p:3128|no_proxy=a.com|NO_PROXY=b.com", "http://b.com/", "http://p:3128", "HTTP_PROXY")]
    [InlineData("HTTP_PROXY=http://p:3128|no_proxy=a.com|NO_PROXY=b.com", "http://a.com/", null, "no_proxy entry a.com")]
    [InlineData("HTTP_PROXY=http://p:3128|no_proxy=|NO_PROXY=b.com", "http://b.com/", null, "NO_PROXY entry b.com")]
    [InlineData("HTTP_PROXY=http://p:3128|NO_PROXY=*", "http://example.com/", null, "NO_PROXY entry *")]
    [InlineData("HTTPS_PROXY=http://p:3128|NO_PROXY=example.com:443", "https://example.com/", null, "NO_PROXY entry example.com:443")]
    [InlineData("HTTP_PROXY=http://p:3128|NO_PROXY=example.com:443", "http://example.com/", "http://p:3128", "HTTP_PROXY")]
    [InlineData("ALL_PROXY=http://p:3128|NO_PROXY=.corp", "ftp://files.corp/", null, "NO_PROXY entry .corp")]
    [InlineData("HTTP_PROXY=http://p:3128|NO_PROXY=localhost", "http://127.0.0.1/", "http://p:3128", "HTTP_PROXY")]
    [InlineData("HTTP_PROXY=http://p:3128|NO_PROXY=10.0.0.0/33,example.com", "http://example.com/", null, "NO_PROXY entry example.com")]
    [InlineData("HTTP_PROXY=http://p:3128|NO_PROXY=10.0.0.0/33", "http://10.1.2.3/", "http://p:3128", "HTTP_PROXY")]
    // schemes that are never proxied
    [InlineData("ALL_PROXY=http://p:3128", "file:///etc/hosts", null, "scheme is never proxied")]
    [InlineData("ALL_PROXY=http://p:3128", "mailto:a@example.com", null, "scheme is never proxied")]
    public void Resolves_as_the_semantics_say(string environment, string url, string? expectedProxy, string expectedReason)
    {
        var decision = ProxySettings.Compile(null, Env.Parse(environment)).Resolve(new Uri(url));
        Assert.Null(decision.Error);
        Assert.Equal(expectedProxy, decision.Proxy?.Address);
        Assert.Equal(expectedReason, decision.Reason);
    }

    [Theory]
    [InlineData("HTTP_PROXY=http://example.com:99999", "http://example.com/", "HTTP_PROXY: port 99999 is out of range")]
    [InlineData("HTTP_PROXY=http://p:0", "http://example.com/", "HTTP_PROXY: port 0 is out of range")]
    [InlineData("HTTP_PROXY=http://p:65536", "http://example.com/", "HTTP_PROXY: port 65536 is out of range")]
    [InlineData("HTTP_PROXY=http://p:abc", "http://example.com/", "HTTP_PROXY: the port is not a number")]
    [InlineData("HTTP_PROXY=http://p:", "http://example.com/", "HTTP_PROXY: the port after ':' is empty")]
    [InlineData("HTTP_PROXY=http://pro xy:3128", "http://example.com/", "HTTP_PROXY: the proxy address holds a space ('pro xy'); write one proxy URL without spaces, like http://proxy:3128")]
    [InlineData("HTTP_PROXY=ftp://p:21", "http://example.com/", "HTTP_PROXY: unsupported proxy scheme 'ftp'")]
    [InlineData("HTTP_PROXY=foo://p:21", "http://example.com/", "HTTP_PROXY: unsupported proxy scheme 'foo'")]
    [InlineData("http_proxy=http://:3128", "http://example.com/", "http_proxy: the proxy host is empty")]
    [InlineData("HTTPS_PROXY=http://[::1:3128", "https://example.com/", "HTTPS_PROXY: missing ']'")]
    [InlineData("HTTPS_PROXY=http://::1:3128", "https://example.com/", "HTTPS_PROXY: an IPv6 proxy address must be written in brackets")]
    [InlineData("FTP_PROXY=http://p:3128x", "ftp://example.com/", "FTP_PROXY: the port is not a number")]
    [InlineData("ALL_PROXY=http://p:99999", "https://example.com/", "ALL_PROXY: port 99999 is out of range")]
    [InlineData("http_proxy=http://p:1:2", "http://example.com/", "http_proxy: an IPv6 proxy address")]
    // a broken proxy is an error even for a host NO_PROXY lists: the configuration must be fixed
    [InlineData("HTTP_PROXY=http://p:99999|NO_PROXY=example.com", "http://example.com/", "HTTP_PROXY: port 99999 is out of range")]
    // a good lowercase variable hides a broken uppercase one
    public void A_value_that_cannot_be_parsed_is_an_error_naming_the_variable(string environment, string url, string expectedError)
    {
        var decision = ProxySettings.Compile(null, Env.Parse(environment)).Resolve(new Uri(url));
        Assert.True(decision.IsError);
        Assert.StartsWith(expectedError, decision.Error, StringComparison.Ordinal);
        Assert.Null(decision.Proxy);
    }

    [Theory]
    [InlineData("HTTP_PROXY=http://alice:s3cr%40t@p:3128", "alice", "s3cr@t")]
    [InlineData("HTTP_PROXY=http://al%20ice:p%3Aw%2Fd@p:3128", "al ice", "p:w/d")]
    [InlineData("HTTP_PROXY=http://bob@p:3128", "bob", "")]
    [InlineData("HTTP_PROXY=http://bob:pa@ss@p:3128", "bob", "pa@ss")]
    [InlineData("HTTP_PROXY=bob:pw@p:3128", "bob", "pw")]
    public void Userinfo_is_percent_decoded_into_credentials_and_kept_out_of_the_address(string environment, string user, string password)
    {
        var decision = ProxySettings.Compile(null, Env.Parse(environment)).Resolve(new Uri("http://example.com/"));
        Assert.Equal(user, decision.Proxy!.Credentials!.UserName);
        Assert.Equal(password, decision.Proxy.Credentials.Password);
        Assert.Equal("http://p:3128", decision.Proxy.ToString());
        Assert.DoesNotContain("@", decision.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HTTP_PROXY=http://user:hunter2@p:99999")]
    [InlineData("HTTP_PROXY=http://user:hunter2@pro xy:3128")]
    [InlineData("HTTP_PROXY=foo://user:hunter2@p:3128")]
    [InlineData("HTTP_PROXY=http://user:hunter2@[::1")]
    public void Errors_and_explanations_never_contain_the_password(string environment)
    {
        var settings = ProxySettings.Compile(null, Env.Parse(environment));
        var decision = settings.Resolve(new Uri("http://example.com/"));
        Assert.True(decision.IsError);
        Assert.DoesNotContain("hunter2", decision.Error, StringComparison.Ordinal);
        string explanation = new ProxyResolver(() => settings).Explain(new Uri("http://example.com/"));
        Assert.DoesNotContain("hunter2", explanation, StringComparison.Ordinal);
        Assert.Contains("***", explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolving_allocates_nothing()
    {
        var settings = ProxySettings.Compile(null, Env.Parse("HTTP_PROXY=http://p:3128|HTTPS_PROXY=http://p:3128|NO_PROXY=" + string.Join(",", Enumerable.Range(0, 1000).Select(i => $"h{i}.corp,10.{i % 250}.0.0/16"))));
        Uri[] uris = [new("http://a.h5.corp/"), new("https://example.com/"), new("http://10.7.1.1/"), new("ftp://x/"), new("http://[::1]/")];
        foreach (var uri in uris)
        {
            settings.Resolve(uri);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            foreach (var uri in uris)
            {
                settings.Resolve(uri);
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
