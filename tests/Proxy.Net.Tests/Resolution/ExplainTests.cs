using System.Text;
using Microsoft.Extensions.Configuration;
using ProxyNet.Resolution;
using ProxyNet.Tests.Pac;

namespace ProxyNet.Tests.Resolution;

/// <summary>
/// <see cref="ProxyResolver.Explain(Uri)"/> is what a person reads when a route surprises them (and what
/// <c>proxynet resolve</c> prints): the whole text is the contract, line by line, with every secret masked.
/// </summary>
public sealed class ExplainTests
{
    [Fact]
    public void A_proxy_from_the_environment_names_each_variable_looked_at()
    {
        Assert.Equal(
            """
            URL:       http://example.com/
            Host:      example.com (port 80)
            Scheme:    http (uses the http proxy settings)
            Looked at:
              http_proxy: unset
              HTTP_PROXY = http://alice:***@p:3128
            Bypass:    1 NO_PROXY entry: a.com
            Decision:  PROXY http://p:3128, from HTTP_PROXY

            """,
            Explain(null, "HTTP_PROXY=http://alice:hunter2@p:3128|NO_PROXY=a.com", "http://example.com/"));
    }

    [Fact]
    public void The_CGI_rule_and_the_unset_fallbacks_are_shown_and_the_query_is_not()
    {
        Assert.Equal(
            """
            URL:       ws://example.com:8080/x
            Host:      example.com (port 8080)
            Scheme:    ws (uses the http proxy settings)
            Looked at:
              http_proxy: unset
              HTTP_PROXY ignored: REQUEST_METHOD is set (CGI rule, CVE-2016-5385)
              all_proxy: unset
              ALL_PROXY: unset
            Bypass:    0 NO_PROXY entries
            Decision:  DIRECT, because no proxy variable set for http

            """,
            Explain(null, "REQUEST_METHOD=GET|HTTP_PROXY=http://evil:1|no_proxy= ", "ws://example.com:8080/x?sig=1"));
    }

    [Fact]
    public void Under_CGI_an_empty_HTTP_PROXY_is_simply_unset()
    {
        string text = Explain(null, "REQUEST_METHOD=GET|HTTP_PROXY= ", "http://example.com/");
        Assert.DoesNotContain("ignored", text, StringComparison.Ordinal);
        Assert.Contains("  http_proxy: unset\n  all_proxy: unset\n  ALL_PROXY: unset\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_out_of_range_section_port_is_in_the_trail_and_the_decision()
    {
        Assert.Equal(
            """
            URL:       ftp://example.com/
            Host:      example.com (port 21)
            Scheme:    ftp (uses the ftp proxy settings)
            Looked at:
              Proxy:Port = 70000 (out of range)
            Bypass:    0 NO_PROXY entries
            Decision:  ERROR: Proxy:Port: port 70000 is out of range

            """,
            Explain("""{"Proxy":{"Host":"p","Port":70000}}""", string.Empty, "ftp://example.com/"));
    }

    [Fact]
    public void A_failover_list_with_its_login_and_headers_shows_each_setting_masked()
    {
        Assert.Equal(
            """
            URL:       https://example.com/
            Host:      example.com (port 443)
            Scheme:    https (uses the https proxy settings)
            Looked at:
              Proxy:HttpsProxy = http://a:1, http://u:***@b:2
              Proxy:Username/Password = svc:*** (credentials for that proxy)
              Proxy:UseDefaultCredentials = False, AuthSchemes = Basic, PreemptiveBasic = True (login for that proxy)
              Proxy:ProxyHeaders = X-Tenant, X-Zone (sent to that proxy only)
            Bypass:    3 BypassLoopback entries: localhost, 127.0.0.0/8, ::1
            Decision:  PROXY http://a:1, from Proxy:HttpsProxy

            """,
            Explain("""{"Proxy":{"HttpsProxy":" http://a:1, ,http://u:hunter2@b:2 ","Username":"svc","Password":"hunter2","AuthSchemes":"Basic","PreemptiveBasic":true,"ProxyHeaders":{"X-Tenant":"blue","X-Zone":"1"},"BypassLoopback":true}}""", string.Empty, "https://example.com/"));
    }

    [Fact]
    public void Loopback_entries_join_the_list_they_are_added_to()
    {
        string text = Explain("""{"Proxy":{"Host":"p","BypassLoopback":true}}""", "NO_PROXY=a.com", "http://example.com/");
        Assert.Contains("Bypass:    4 NO_PROXY and BypassLoopback entries: a.com, localhost, 127.0.0.0/8, ::1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_section_without_login_settings_adds_no_login_lines()
    {
        string text = Explain("""{"Proxy":{"HttpProxy":"http://p:1"}}""", string.Empty, "http://example.com/");
        Assert.Contains("Looked at:\n  Proxy:HttpProxy = http://p:1\nBypass:", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_entry_of_a_failover_list_shows_the_list_and_fails()
    {
        Assert.Equal(
            """
            URL:       http://example.com/
            Host:      example.com (port 80)
            Scheme:    http (uses the http proxy settings)
            Looked at:
              Proxy:HttpProxy = http://a:1, http://b:99999
            Bypass:    0 NO_PROXY entries
            Decision:  ERROR: Proxy:HttpProxy: port 99999 is out of range

            """,
            Explain("""{"Proxy":{"HttpProxy":"http://a:1, http://b:99999"}}""", string.Empty, "http://example.com/"));
    }

    [Fact]
    public void For_gRPC_the_grpc_variables_come_first()
    {
        Assert.Equal(
            """
            URL:       https://example.com/
            Host:      example.com (port 443)
            Scheme:    https (uses the https proxy settings)
            Looked at:
              grpc_proxy: unset
              GRPC_PROXY = http://g:1
              https_proxy: unset
              HTTPS_PROXY = http://s:2
            Bypass:    0 NO_PROXY entries
            Decision:  PROXY http://g:1, from GRPC_PROXY

            """,
            Explain(null, "GRPC_PROXY=http://g:1|HTTPS_PROXY=http://s:2", "https://example.com/", grpc: true));

        // The one-argument Explain is the plain (not gRPC) route.
        var resolver = Resolver(null, "GRPC_PROXY=http://g:1|HTTPS_PROXY=http://s:2");
        Assert.EndsWith("Decision:  PROXY http://s:2, from HTTPS_PROXY\n", resolver.Explain(new Uri("https://example.com/")), StringComparison.Ordinal);
        Assert.DoesNotContain("grpc", resolver.Explain(new Uri("https://example.com/")), StringComparison.Ordinal);
        Assert.Equal("GRPC_PROXY", resolver.ResolveGrpc(new Uri("https://example.com/")).Reason);
        Assert.Equal("grpc_proxy", Resolver(null, "grpc_proxy=http://g:1").ResolveGrpc(new Uri("http://example.com/")).Reason);
        Assert.Equal("HTTPS_PROXY", resolver.Resolve(new Uri("https://example.com/")).Reason);
    }

    [Fact]
    public void A_scheme_that_is_never_proxied_has_no_trail()
    {
        Assert.Equal(
            """
            URL:       file:///etc/hosts
            Host:      none
            Scheme:    file is never proxied
            Bypass:    0 NO_PROXY entries
            Decision:  DIRECT, because scheme is never proxied

            """,
            Explain(null, "ALL_PROXY=http://p:1", "file:///etc/hosts"));
        Assert.Contains("Host:      mail.example.com (port 25)\nScheme:    smtp is never proxied\n", Explain(null, "ALL_PROXY=http://p:1", "smtp://mail.example.com:25/"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(20, false)]
    [InlineData(21, true)]
    public void The_bypass_line_shows_the_first_twenty_entries(int count, bool cut)
    {
        string entries = string.Join(",", Enumerable.Range(1, count).Select(i => $"h{i}.corp"));
        string text = Explain(null, "HTTP_PROXY=http://p:1|NO_PROXY=" + entries, "http://h3.corp/");
        string shown = string.Join(", ", Enumerable.Range(1, 20).Select(i => $"h{i}.corp"));
        Assert.Contains($"Bypass:    {count} NO_PROXY entries: {shown}{(cut ? ", …" : string.Empty)}\n", text, StringComparison.Ordinal);
        Assert.EndsWith("Decision:  DIRECT, because NO_PROXY entry h3.corp\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Ignored_entries_are_warnings()
    {
        Assert.Equal(
            """
            URL:       http://b.com/
            Host:      b.com (port 80)
            Scheme:    http (uses the http proxy settings)
            Looked at:
              http_proxy: unset
              HTTP_PROXY = http://p:1
            Bypass:    1 NO_PROXY entry: b.com
            Warning:   NO_PROXY entry '10.0.0.0/33' ignored: prefix length 33 is not between 0 and 32
            Warning:   NO_PROXY entry 'a..b' ignored: 'a..b' is not a valid host name
            Decision:  DIRECT, because NO_PROXY entry b.com

            """,
            Explain(null, "HTTP_PROXY=http://p:1|NO_PROXY=10.0.0.0/33,b.com,a..b", "http://b.com/"));
    }

    [Fact]
    public void A_PAC_answer_shows_the_script_call_and_a_masked_script_URL()
    {
        var engine = new FakeEngine { Current = new((_, _) => "PROXY pac:8080; DIRECT") };
        Assert.Equal(
            """
            URL:       http://example.com/
            Host:      example.com (port 80)
            Scheme:    http (uses the http proxy settings)
            Looked at:
              Proxy:PacUrl = http://wpad/proxy.pac (asked after NO_PROXY; the proxy variables are not read)
            Bypass:    0 NO_PROXY entries
            Script:
              (no helper calls) FindProxyForURL("http://example.com/", "example.com") = "PROXY pac:8080; DIRECT"
            Decision:  PROXY http://pac:8080, from PAC FindProxyForURL returned "PROXY pac:8080; DIRECT"

            """,
            Explain("""{"Proxy":{"PacUrl":"http://u:hunter2@wpad/proxy.pac?k=1"}}""", "HTTP_PROXY=http://p:1", "http://example.com/", pac: engine));

        // An explicit option still wins over the script, which then is neither named nor run.
        string text = Explain("""{"Proxy":{"PacUrl":"/etc/proxy.pac","HttpProxy":"http://p:1"}}""", string.Empty, "http://example.com/", pac: engine);
        Assert.Contains("Looked at:\n  Proxy:HttpProxy = http://p:1\nBypass:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Script:", text, StringComparison.Ordinal);

        // gRPC never reads the script's answer from the trail of its own variables.
        Assert.Contains("Looked at:\n  Proxy:PacUrl = /etc/proxy.pac (asked after NO_PROXY; the proxy variables are not read)\nBypass:",
            Explain("""{"Proxy":{"PacUrl":"/etc/proxy.pac"}}""", string.Empty, "https://example.com/", grpc: true, pac: engine), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bypassed_host_never_reaches_the_script()
    {
        var engine = new FakeEngine { Current = new((_, _) => "PROXY pac:8080") };
        string text = Explain("""{"Proxy":{"PacUrl":"/etc/proxy.pac","ExcludedDomains":"corp"}}""", string.Empty, "http://db.corp/", pac: engine);
        Assert.DoesNotContain("Script:", text, StringComparison.Ordinal);
        Assert.EndsWith("Decision:  DIRECT, because Proxy:ExcludedDomains entry corp\n", text, StringComparison.Ordinal);
        Assert.Empty(((FakeEngine.Script)engine.Current).Calls);
    }

    [Theory]
    [InlineData("""{"Proxy":{"AutoDetect":true}}""", "Proxy:AutoDetect = true (WPAD, asked after NO_PROXY)")]
    [InlineData("""{"Proxy":{"UseSystemProxy":true}}""", "Proxy:UseSystemProxy = true (the desktop's settings, asked after NO_PROXY)")]
    [InlineData("""{"Proxy":{"AutoDetect":true,"UseSystemProxy":true}}""", "Proxy:AutoDetect = true (WPAD), then Proxy:UseSystemProxy = true (the desktop's settings), asked after NO_PROXY")]
    public void WPAD_and_the_desktop_are_named_after_the_variables_but_not_for_gRPC(string json, string line)
    {
        var settings = Settings(json, string.Empty, new FakeEngine());
        foreach (var scheme in new[] { ProxyScheme.Http, ProxyScheme.Https, ProxyScheme.Ftp })
        {
            Assert.Equal(line, settings.Trails[(int)scheme][^1]);
        }

        Assert.Equal(["grpc_proxy: unset", "GRPC_PROXY: unset"], settings.Trails[(int)ProxyScheme.Grpc]);
    }

    [Fact]
    public void A_proxy_variable_keeps_WPAD_and_the_desktop_out()
    {
        foreach (string variable in new[] { "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "ftp_proxy", "FTP_PROXY", "all_proxy", "ALL_PROXY", "grpc_proxy", "GRPC_PROXY" })
        {
            var settings = Settings("""{"Proxy":{"AutoDetect":true}}""", $"{variable}=http://p:1", new FakeEngine());
            Assert.DoesNotContain(settings.Trails.SelectMany(t => t), l => l.Contains("AutoDetect", StringComparison.Ordinal));
        }

        // ...but HTTP_PROXY under CGI is not a proxy variable, and UseEnvironment=false reads none.
        Assert.Contains(Settings("""{"Proxy":{"AutoDetect":true}}""", "REQUEST_METHOD=GET|HTTP_PROXY=http://evil:1", new FakeEngine()).Trails[0], l => l.Contains("AutoDetect", StringComparison.Ordinal));
        Assert.Contains(Settings("""{"Proxy":{"AutoDetect":true,"UseEnvironment":false}}""", "HTTP_PROXY=http://p:1", new FakeEngine()).Trails[0], l => l.Contains("AutoDetect", StringComparison.Ordinal));
    }

    [Fact]
    public void The_public_factories_refuse_null()
    {
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => ProxyResolver.Create(null!)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => ProxyResolver.Create(null!, new FakeEngine())).ParamName);
        Assert.Equal("pac", Assert.Throws<ArgumentNullException>(() => ProxyResolver.Create(new ProxyNetOptions(), null!)).ParamName);
        var resolver = ProxyResolver.Create(new ProxyNetOptions { HttpProxy = "http://p:1", UseEnvironment = false });
        Assert.Equal("uri", Assert.Throws<ArgumentNullException>(() => resolver.Resolve(null!)).ParamName);
        Assert.Equal("uri", Assert.Throws<ArgumentNullException>(() => resolver.ResolveGrpc(null!)).ParamName);
        Assert.Equal("uri", Assert.Throws<ArgumentNullException>(() => resolver.Explain(null!)).ParamName);
        Assert.Equal("uri", Assert.Throws<ArgumentNullException>(() => resolver.Explain(null!, grpc: true)).ParamName);
        Assert.Equal("http://p:1", resolver.Resolve(new Uri("http://example.com/")).Proxy!.Address);

        var withPac = ProxyResolver.Create(new ProxyNetOptions { PacUrl = "/etc/proxy.pac" }, new FakeEngine { Current = new((_, _) => "PROXY pac:1") });
        Assert.Equal("http://pac:1", withPac.Resolve(new Uri("http://example.com/")).Proxy!.Address);
    }

    private static string Explain(string? json, string environment, string url, bool grpc = false, IProxyAutoConfig? pac = null) =>
        new ProxyResolver(() => Settings(json, environment, pac)).Explain(new Uri(url), grpc).ReplaceLineEndings("\n");

    private static ProxyResolver Resolver(string? json, string environment)
    {
        var settings = Settings(json, environment, null);
        return new ProxyResolver(() => settings);
    }

    private static ProxySettings Settings(string? json, string environment, IProxyAutoConfig? pac) => Section.Compile(json, environment, pac);
}
