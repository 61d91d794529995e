using System.Text;
using Microsoft.Extensions.Configuration;
using ProxyNet.Resolution;

namespace ProxyNet.Tests.Resolution;

/// <summary>Section 6 of the semantics file: the <c>Proxy</c> configuration section (CARTO names) over the environment.</summary>
public sealed class ConfigurationSectionTests
{
    [Theory]
    // Host/Port/Type: the global proxy for every scheme
    [InlineData("""{"Proxy":{"Host":"proxy.corp","Port":3128}}""", "", "http://example.com/", "http://proxy.corp:3128", "Proxy:Host")]
    [InlineData("""{"Proxy":{"Host":"proxy.corp","Port":3128}}""", "", "https://example.com/", "http://proxy.corp:3128", "Proxy:Host")]
    [InlineData("""{"Proxy":{"Host":"proxy.corp","Port":3128}}""", "", "ftp://example.com/", "http://proxy.corp:3128", "Proxy:Host")]
    [InlineData("""{"Proxy":{"host":"proxy.corp","port":"3129","type":"https"}}""", "", "https://example.com/", "https://proxy.corp:3129", "Proxy:Host")]
    [InlineData("""{"Proxy":{"Host":"proxy.corp","Type":"https"}}""", "", "http://example.com/", "https://proxy.corp:443", "Proxy:Host")]
    [InlineData("""{"Proxy":{"Host":"proxy.corp","Type":"socks5"}}""", "", "http://example.com/", "socks5://proxy.corp:1080", "Proxy:Host")]
    [InlineData("""{"Proxy":{"Host":"p","Port":65535}}""", "", "http://example.com/", "http://p:65535", "Proxy:Host")]
    [InlineData("""{"Proxy":{"Host":"p","Port":1}}""", "", "http://example.com/", "http://p:1", "Proxy:Host")]
    [InlineData("""{"Proxy":{"Host":"::1","Port":3128}}""", "", "http://example.com/", "http://[::1]:3128", "Proxy:Host")]
    // per-scheme URLs override Host
    [InlineData("""{"Proxy":{"Host":"proxy.corp","Port":3128,"HttpsProxy":"http://tls:8443"}}""", "", "https://example.com/", "http://tls:8443", "Proxy:HttpsProxy")]
    [InlineData("""{"Proxy":{"Host":"proxy.corp","Port":3128,"HttpsProxy":"http://tls:8443"}}""", "", "http://example.com/", "http://proxy.corp:3128", "Proxy:Host")]
    [InlineData("""{"Proxy":{"Host":"proxy.corp","AllProxy":"http://all:1"}}""", "", "ftp://example.com/", "http://all:1", "Proxy:AllProxy")]
    [InlineData("""{"Proxy":{"FtpProxy":"http://ftp:2","AllProxy":"http://all:1"}}""", "", "ftp://example.com/", "http://ftp:2", "Proxy:FtpProxy")]
    // the section overrides the environment; the environment fills the rest
    [InlineData("""{"Proxy":{"HttpProxy":"http://conf:1"}}""", "HTTP_PROXY=http://env:2|HTTPS_PROXY=http://envs:3", "http://example.com/", "http://conf:1", "Proxy:HttpProxy")]
    [InlineData("""{"Proxy":{"HttpProxy":"http://conf:1"}}""", "HTTP_PROXY=http://env:2|HTTPS_PROXY=http://envs:3", "https://example.com/", "http://envs:3", "HTTPS_PROXY")]
    [InlineData("""{"Proxy":{"HttpProxy":"http://conf:1","UseEnvironment":false}}""", "HTTPS_PROXY=http://envs:3", "https://example.com/", null, "no proxy variable set for https")]
    [InlineData("""{"Proxy":{"Enabled":false,"HttpProxy":"http://conf:1"}}""", "HTTP_PROXY=http://env:2", "http://example.com/", "http://env:2", "HTTP_PROXY")]
    [InlineData("""{"Proxy":{"enabled":"false","host":"conf"}}""", "", "http://example.com/", null, "no proxy variable set for http")]
    // ExcludedDomains in all of CARTO's shapes, and the NoProxy alias
    [InlineData("""{"Proxy":{"Host":"p","Port":1,"ExcludedDomains":["localhost,.svc.cluster.local"]}}""", "", "http://api.svc.cluster.local/", null, "Proxy:ExcludedDomains entry .svc.cluster.local")]
    [InlineData("""{"Proxy":{"Host":"p","Port":1,"excludedDomains":["a.com","b.com"]}}""", "", "http://x.b.com/", null, "Proxy:ExcludedDomains entry b.com")]
    [InlineData("""{"Proxy":{"Host":"p","Port":1,"ExcludedDomains":"a.com, 10.0.0.0/8"}}""", "", "http://10.2.3.4/", null, "Proxy:ExcludedDomains entry 10.0.0.0/8")]
    [InlineData("""{"Proxy":{"Host":"p","Port":1,"NoProxy":"internal"}}""", "", "http://db.internal/", null, "Proxy:ExcludedDomains entry internal")]
    [InlineData("""{"Proxy":{"Host":"p","Port":1,"ExcludedDomains":["a.com"]}}""", "NO_PROXY=b.com", "http://b.com/", "http://p:1", "Proxy:Host")]
    [InlineData("""{"Proxy":{"Host":"p","Port":1}}""", "NO_PROXY=b.com", "http://b.com/", null, "NO_PROXY entry b.com")]
    [InlineData("""{"Proxy":{"Host":"p","Port":1,"BypassLoopback":true}}""", "", "http://127.0.0.1/", null, "BypassLoopback entry 127.0.0.0/8")]
    [InlineData("""{"Proxy":{"Host":"p","Port":1,"BypassLoopback":true}}""", "", "http://localhost:8080/", null, "BypassLoopback entry localhost")]
    [InlineData("""{"Proxy":{"Host":"p","Port":1,"BypassLoopback":true}}""", "", "http://[::1]/", null, "BypassLoopback entry ::1")]
    [InlineData("""{"Proxy":{"GrpcProxy":"http://grpc:1"}}""", "HTTPS_PROXY=http://s:2", "https://example.com/", "http://s:2", "HTTPS_PROXY")]
    public void The_section_decides_as_the_semantics_say(string json, string environment, string url, string? expectedProxy, string expectedReason)
    {
        var decision = Compile(json, environment).Resolve(new Uri(url));
        Assert.Null(decision.Error);
        Assert.Equal(expectedProxy, decision.Proxy?.Address);
        Assert.Equal(expectedReason, decision.Reason);
    }

    [Theory]
    [InlineData("""{"Proxy":{"Host":"p","Port":70000}}""", "Proxy:Port: port 70000 is out of range")]
    [InlineData("""{"Proxy":{"Host":"p","Port":"abc"}}""", "Proxy:Port: 'abc' is not a number")]
    [InlineData("""{"Proxy":{"Host":"p","Type":"gopher"}}""", "Proxy:Type: 'gopher' is not a proxy type (use http, https, socks5, socks5h, socks4 or socks4a)")]
    [InlineData("""{"Proxy":{"HttpProxy":"http://p:99999"}}""", "Proxy:HttpProxy: port 99999 is out of range")]
    [InlineData("""{"Proxy":{"Host":"bad host"}}""", "Proxy:Host: the proxy address holds a space ('bad host')")]
    public void A_broken_section_is_an_error_naming_the_key(string json, string expected)
    {
        var decision = Compile(json, string.Empty).Resolve(new Uri("http://example.com/"));
        Assert.True(decision.IsError);
        Assert.StartsWith(expected, decision.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Username_and_password_override_the_url_userinfo()
    {
        var decision = Compile("""{"Proxy":{"HttpProxy":"http://old:old@p:1","Username":"new","Password":"n3w"}}""", string.Empty).Resolve(new Uri("http://example.com/"));
        Assert.Equal("new", decision.Proxy!.Credentials!.UserName);
        Assert.Equal("n3w", decision.Proxy.Credentials.Password);
    }

    [Fact]
    public void Credentials_from_the_section_also_apply_to_a_proxy_from_the_environment()
    {
        var decision = Compile("""{"Proxy":{"Username":"svc","Password":"pw"}}""", "HTTPS_PROXY=http://p:1").Resolve(new Uri("https://example.com/"));
        Assert.Equal("svc", decision.Proxy!.Credentials!.UserName);
    }

    [Fact]
    public void The_login_keys_travel_with_the_proxy_to_every_path()
    {
        var decision = Compile("""{"Proxy":{"UseDefaultCredentials":true,"AuthSchemes":"negotiate, Digest","PreemptiveBasic":"true"}}""", "HTTPS_PROXY=http://p:1").Resolve(new Uri("https://example.com/"));

        Assert.Equal(new ProxyNet.ProxyLogin(true, ProxyNet.ProxyAuthSchemes.Negotiate | ProxyNet.ProxyAuthSchemes.Digest, true), decision.Proxy!.Login);
        Assert.Null(decision.Proxy.Credentials);
        var credentials = ProxyNet.Http.RouteTransportPool.ProxyCredentials(decision.Proxy);
        Assert.NotNull(credentials!.GetCredential(decision.Proxy.Uri, "Negotiate"));
        Assert.Null(credentials.GetCredential(decision.Proxy.Uri, "Basic"));
        Assert.NotEqual(decision.Proxy, decision.Proxy.WithLogin(ProxyNet.ProxyLogin.Default));

        // Public, for tools that talk to the proxy themselves (proxynet doctor).
        Assert.Equal(ProxyNet.ProxyAuthSchemes.Negotiate | ProxyNet.ProxyAuthSchemes.Digest, decision.Proxy.AuthSchemes);
        Assert.True(decision.Proxy.UseDefaultCredentials);
        var plain = Compile("{}", "HTTPS_PROXY=http://p:1").Resolve(new Uri("https://example.com/")).Proxy!;
        Assert.Equal(ProxyNet.ProxyAuthSchemes.All, plain.AuthSchemes);
        Assert.False(plain.UseDefaultCredentials);
    }

    [Fact]
    public void A_misspelt_AuthSchemes_is_an_error_naming_the_key()
    {
        var decision = Compile("""{"Proxy":{"Host":"p","AuthSchemes":"Kerberos"}}""", string.Empty).Resolve(new Uri("http://example.com/"));
        Assert.True(decision.IsError);
        Assert.Contains("Proxy:AuthSchemes: 'Kerberos' is not a list of Negotiate, Ntlm, Digest, Basic, All, None", decision.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_never_print_the_password()
    {
        var options = new ProxyNetOptions { Host = "p", Username = "u", Password = "hunter2" };
        Assert.DoesNotContain("hunter2", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Double_underscore_environment_variables_bind_to_the_same_keys()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Proxy:Host"] = "p",
            ["Proxy:Port"] = "3128",
            ["Proxy:ExcludedDomains:0"] = "a.com,b.com",
            ["Proxy:ExcludedDomains:1"] = "c.com",
        }).Build();
        var options = new ProxyNetOptions();
        ProxyNetOptionsBinder.Bind(config.GetSection("Proxy"), options);
        Assert.Equal(["a.com,b.com", "c.com"], options.ExcludedDomains);
        var settings = ProxySettings.Compile(options, _ => null);
        Assert.Equal(3, settings.Bypass.Rules.Count);
    }

    private static ProxySettings Compile(string json, string environment) => Section.Compile(json, environment);
}
