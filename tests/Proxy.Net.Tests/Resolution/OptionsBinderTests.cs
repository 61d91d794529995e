using System.Text;
using Microsoft.Extensions.Configuration;
using ProxyNet.Resolution;

namespace ProxyNet.Tests.Resolution;

/// <summary>
/// Section 6: every key of the <c>Proxy</c> section binds to its option (any case), an absent or blank key keeps what
/// the options held, and a value that cannot be read is an error naming its full key.
/// </summary>
public sealed class OptionsBinderTests
{
    private const string EveryKey = """
            {"Proxy":{
              "enabled":"true", "host":" proxy.corp ", "type":"socks5", "port":"3129",
              "httpProxy":"http://h:1", "httpsProxy":"http://s:2", "ftpProxy":"http://f:3", "grpcProxy":"http://g:4", "allProxy":"http://a:5",
              "username":"svc", "password":"pw", "pacUrl":"file:///etc/proxy.pac",
              "useEnvironment":"false", "autoDetect":"true", "useSystemProxy":"true", "bypassLoopback":"true",
              "useDefaultCredentials":"true", "preemptiveBasic":"true", "authSchemes":"ntlm, basic",
              "proxyHeaders":{"X-Tenant":"blue","X-Empty":""},
              "allowedDirect":["10.0.0.0/8","intranet"],
              "tls":{"originCaCertificates":["/o.pem"],"proxyCaCertificates":"/p.pem","replaceSystemTrust":"true",
                     "useEnvironmentCaBundles":"true","dangerousAcceptAnyServerCertificate":"true","dangerousAcceptAnyProxyCertificate":"true"},
              "excludedDomains":"a.com,b.com", "noProxy":["c.com"]
            }}
            """;

    [Fact]
    public void Every_key_binds_to_its_option()
    {
        var options = Bind(EveryKey);

        Assert.Empty(options.BindingErrors);
        var expected = new ProxyNetOptions
        {
            Enabled = true,
            Host = "proxy.corp",
            Type = "socks5",
            Port = 3129,
            HttpProxy = "http://h:1",
            HttpsProxy = "http://s:2",
            FtpProxy = "http://f:3",
            GrpcProxy = "http://g:4",
            AllProxy = "http://a:5",
            Username = "svc",
            Password = "pw",
            PacUrl = "file:///etc/proxy.pac",
            UseEnvironment = false,
            AutoDetect = true,
            UseSystemProxy = true,
            BypassLoopback = true,
            UseDefaultCredentials = true,
            PreemptiveBasic = true,
            AuthSchemes = ProxyAuthSchemes.Ntlm | ProxyAuthSchemes.Basic,
            AllowedDirect = ["10.0.0.0/8", "intranet"],
            ExcludedDomains = ["a.com,b.com", "c.com"],
        };
        expected.Tls.OriginCaCertificates = ["/o.pem"];
        expected.Tls.ProxyCaCertificates = ["/p.pem"];
        expected.Tls.ReplaceSystemTrust = true;
        expected.Tls.UseEnvironmentCaBundles = true;
        expected.Tls.DangerousAcceptAnyServerCertificate = true;
        expected.Tls.DangerousAcceptAnyProxyCertificate = true;
        Assert.Equal(Fields(expected), Fields(options));
        Assert.Equal("blue", options.ProxyHeaders["x-tenant"]);
        Assert.Equal(string.Empty, options.ProxyHeaders["X-Empty"]);
    }

    [Fact]
    public void Absent_and_blank_keys_keep_what_the_options_held()
    {
        var options = Bind(EveryKey);
        options.Enabled = false;
        var before = Fields(options);

        Bind("""{"Proxy":{"Host":"   ","HttpProxy":"","Tls":{"Unrelated":"x"},"AllowedDirect":[],"ExcludedDomains":[]}}""", options);

        Assert.Empty(options.BindingErrors);
        Assert.Equal(before, Fields(options));
    }

    [Fact]
    public void A_present_key_replaces_what_the_options_held()
    {
        var options = Bind(EveryKey);

        Bind("""
            {"Proxy":{"host":"other.corp","type":"http","httpProxy":"http://h2:1","httpsProxy":"http://s2:2","ftpProxy":"http://f2:3",
              "grpcProxy":"http://g2:4","allProxy":"http://a2:5","username":"svc2","password":"pw2","pacUrl":"/other.pac"}}
            """, options);

        Assert.Empty(options.BindingErrors);
        Assert.Equal(
            "other.corp http http://h2:1 http://s2:2 http://f2:3 http://g2:4 http://a2:5 svc2 pw2 /other.pac",
            string.Join(' ', options.Host, options.Type, options.HttpProxy, options.HttpsProxy, options.FtpProxy, options.GrpcProxy, options.AllProxy, options.Username, options.Password, options.PacUrl));
    }

    [Fact]
    public void A_second_bind_forgets_the_errors_of_the_first()
    {
        var options = new ProxyNetOptions();
        Bind("""{"Proxy":{"Port":"abc"}}""", options);
        Assert.Single(options.BindingErrors);
        Bind("""{"Proxy":{"Port":"3128"}}""", options);
        Assert.Empty(options.BindingErrors);
        Assert.Equal(3128, options.Port);
    }

    [Theory]
    [InlineData("""{"Proxy":{"Enabled":"no"}}""", "Proxy:Enabled: 'no' is not a boolean (true or false)")]
    [InlineData("""{"Proxy":{"UseEnvironment":"yes"}}""", "Proxy:UseEnvironment: 'yes' is not a boolean (true or false)")]
    [InlineData("""{"Proxy":{"AutoDetect":"1"}}""", "Proxy:AutoDetect: '1' is not a boolean (true or false)")]
    [InlineData("""{"Proxy":{"UseSystemProxy":"on"}}""", "Proxy:UseSystemProxy: 'on' is not a boolean (true or false)")]
    [InlineData("""{"Proxy":{"BypassLoopback":"y"}}""", "Proxy:BypassLoopback: 'y' is not a boolean (true or false)")]
    [InlineData("""{"Proxy":{"UseDefaultCredentials":"t"}}""", "Proxy:UseDefaultCredentials: 't' is not a boolean (true or false)")]
    [InlineData("""{"Proxy":{"PreemptiveBasic":"maybe"}}""", "Proxy:PreemptiveBasic: 'maybe' is not a boolean (true or false)")]
    [InlineData("""{"Proxy":{"Tls":{"ReplaceSystemTrust":"x"}}}""", "Proxy:Tls:ReplaceSystemTrust: 'x' is not a boolean (true or false)")]
    [InlineData("""{"Proxy":{"Tls":{"UseEnvironmentCaBundles":"x"}}}""", "Proxy:Tls:UseEnvironmentCaBundles: 'x' is not a boolean (true or false)")]
    [InlineData("""{"Proxy":{"Tls":{"DangerousAcceptAnyServerCertificate":"x"}}}""", "Proxy:Tls:DangerousAcceptAnyServerCertificate: 'x' is not a boolean (true or false)")]
    [InlineData("""{"Proxy":{"Tls":{"DangerousAcceptAnyProxyCertificate":"x"}}}""", "Proxy:Tls:DangerousAcceptAnyProxyCertificate: 'x' is not a boolean (true or false)")]
    [InlineData("""{"Proxy":{"SslRejectUnauthorized":"nope"}}""", "Proxy:SslRejectUnauthorized: 'nope' is not a boolean (true or false)")]
    [InlineData("""{"Proxy":{"Port":"31x8"}}""", "Proxy:Port: '31x8' is not a number")]
    [InlineData("""{"Proxy":{"AuthSchemes":"Negotiate, Kerberos"}}""", "Proxy:AuthSchemes: 'Negotiate, Kerberos' is not a list of Negotiate, Ntlm, Digest, Basic, All, None")]
    [InlineData("""{"Proxy":{"AuthSchemes":"4"}}""", "Proxy:AuthSchemes: '4' is not a list of Negotiate, Ntlm, Digest, Basic, All, None")]
    [InlineData("""{"Proxy":{"AuthSchemes":"Basic, 4"}}""", "Proxy:AuthSchemes: 'Basic, 4' is not a list of Negotiate, Ntlm, Digest, Basic, All, None")]
    public void An_unreadable_value_is_an_error_naming_its_full_key(string json, string expected)
    {
        var options = Bind(json);
        Assert.Equal([expected], options.BindingErrors);

        // ...and every request fails with it: never a silent default.
        var decision = ProxySettings.Compile(options, _ => null).Resolve(new Uri("http://example.com/"));
        Assert.True(decision.IsError);
        Assert.Equal(expected, decision.Error);
    }

    [Fact]
    public void A_key_read_from_an_unnamed_root_is_named_by_itself()
    {
        var root = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Port"] = "x" }).Build();
        var options = new ProxyNetOptions();
        ProxyNetOptionsBinder.Bind(root, options);
        Assert.Equal(["Port: 'x' is not a number"], options.BindingErrors);
    }

    [Fact]
    public void CARTO_SslCA_adds_to_the_proxy_CAs_and_SslRejectUnauthorized_false_accepts_any_proxy_certificate()
    {
        var options = Bind("""{"Proxy":{"Tls":{"ProxyCaCertificates":["/first.pem"]},"SslCA":"/carto.pem","SslRejectUnauthorized":false}}""");
        Assert.Equal(["/first.pem", "/carto.pem"], options.Tls.ProxyCaCertificates);
        Assert.True(options.Tls.DangerousAcceptAnyProxyCertificate);
        Assert.False(options.Tls.DangerousAcceptAnyServerCertificate);

        var strict = Bind("""{"Proxy":{"SslRejectUnauthorized":true}}""");
        Assert.False(strict.Tls.DangerousAcceptAnyProxyCertificate);
        Assert.Empty(strict.Tls.ProxyCaCertificates);
    }

    [Fact]
    public void Negative_and_out_of_range_ports_bind_and_then_fail_naming_the_port()
    {
        var options = Bind("""{"Proxy":{"Host":"p","Port":"-1"}}""");
        Assert.Equal(-1, options.Port);
        var decision = ProxySettings.Compile(options, _ => null).Resolve(new Uri("http://example.com/"));
        Assert.Equal("Proxy:Port: port -1 is out of range", decision.Error);
    }

    [Fact]
    public void Several_unreadable_values_are_one_error_listing_each()
    {
        var options = Bind("""{"Proxy":{"Host":"p","Port":"x","Enabled":"maybe"}}""");
        var decision = ProxySettings.Compile(options, _ => null).Resolve(new Uri("http://example.com/"));
        Assert.Equal("Proxy:Enabled: 'maybe' is not a boolean (true or false); Proxy:Port: 'x' is not a number", decision.Error);
    }

    [Fact]
    public void The_options_print_without_the_password()
    {
        Assert.Equal("ProxyNetOptions { Enabled = True, Host = p, Port = 3128, Type = http, Username = u, Password = *** }", new ProxyNetOptions { Host = "p", Port = 3128, Type = "http", Username = "u", Password = "hunter2" }.ToString());
        Assert.Equal("ProxyNetOptions { Enabled = False, Host = , Port = , Type = , Username = , Password = null }", new ProxyNetOptions { Enabled = false }.ToString());
    }

    [Fact]
    public void The_validator_passes_good_options_and_fails_with_each_error()
    {
        var validator = new ProxyNetOptionsValidator([]);
        Assert.True(validator.Validate(null, new ProxyNetOptions { HttpProxy = "http://p:1" }).Succeeded);
        var failed = validator.Validate(null, Bind("""{"Proxy":{"Port":"x","HttpProxy":"http://p:99999"}}"""));
        Assert.True(failed.Failed);
        Assert.Contains("Proxy:Port: 'x' is not a number", failed.Failures!);
        Assert.Throws<ArgumentNullException>(() => validator.Validate(null, null!));
    }

    private static ProxyNetOptions Bind(string json, ProxyNetOptions? options = null) => Section.Bind(json, options);

    /// <summary>Every option the section binds, one line each, so that a whole binding compares in one assert.</summary>
    private static string Fields(ProxyNetOptions o) => string.Join('\n',
        $"Enabled={o.Enabled}", $"Host={o.Host}", $"Type={o.Type}", $"Port={o.Port}",
        $"HttpProxy={o.HttpProxy}", $"HttpsProxy={o.HttpsProxy}", $"FtpProxy={o.FtpProxy}", $"GrpcProxy={o.GrpcProxy}",
        $"AllProxy={o.AllProxy}", $"Username={o.Username}", $"Password={o.Password}", $"PacUrl={o.PacUrl}",
        $"UseEnvironment={o.UseEnvironment}", $"AutoDetect={o.AutoDetect}", $"UseSystemProxy={o.UseSystemProxy}",
        $"BypassLoopback={o.BypassLoopback}", $"UseDefaultCredentials={o.UseDefaultCredentials}",
        $"PreemptiveBasic={o.PreemptiveBasic}", $"AuthSchemes={o.AuthSchemes}",
        $"AllowedDirect=[{string.Join(", ", o.AllowedDirect)}]", $"ExcludedDomains=[{string.Join(", ", o.ExcludedDomains)}]",
        $"Tls.OriginCaCertificates=[{string.Join(", ", o.Tls.OriginCaCertificates)}]",
        $"Tls.ProxyCaCertificates=[{string.Join(", ", o.Tls.ProxyCaCertificates)}]",
        $"Tls.ReplaceSystemTrust={o.Tls.ReplaceSystemTrust}", $"Tls.UseEnvironmentCaBundles={o.Tls.UseEnvironmentCaBundles}",
        $"Tls.DangerousAcceptAnyServerCertificate={o.Tls.DangerousAcceptAnyServerCertificate}",
        $"Tls.DangerousAcceptAnyProxyCertificate={o.Tls.DangerousAcceptAnyProxyCertificate}");
}
