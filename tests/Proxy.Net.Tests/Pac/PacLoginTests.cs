using System.Net;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.Tests.Pac;

/// <summary>
/// The section's proxy login (Username/Password, UseDefaultCredentials, ProxyHeaders) goes to the proxies a PAC script
/// names only where <c>Proxy:LoginHosts</c> allows it (issue 28): a script from the network may name any host.
/// </summary>
public sealed class PacLoginTests
{
    private const string PacUrl = "http://wpad.corp/proxy.pac";

    [Fact]
    public void Every_proxy_the_script_names_that_LoginHosts_allows_gets_the_login_and_DIRECT_stays_direct()
    {
        var engine = new FakeEngine { Current = new FakeEngine.Script((_, _) => "PROXY a.corp:3128; PROXY b.corp:8080; DIRECT") };
        var options = new ProxyNetOptions
        {
            PacUrl = PacUrl,
            LoginHosts = { ".corp" },
            Username = "alice",
            Password = "pac-login-pw",
            UseDefaultCredentials = true,
            AuthSchemes = ProxyAuthSchemes.Negotiate | ProxyAuthSchemes.Basic,
            ProxyHeaders = { ["X-Tenant"] = "blue" },
        };
        var settings = ProxySettings.Compile(options, _ => null, engine, null);

        var decision = settings.Resolve(new Uri("http://example.com/x"));

        Assert.Equal(3, decision.Candidates.Count);
        foreach (var proxy in decision.Candidates.Take(2).Select(c => c.Proxy!))
        {
            Assert.Equal("alice", proxy.Credentials!.UserName);
            Assert.Equal("pac-login-pw", proxy.Credentials.Password);
            Assert.True(proxy.UseDefaultCredentials);
            Assert.Equal(ProxyAuthSchemes.Negotiate | ProxyAuthSchemes.Basic, proxy.AuthSchemes);
            Assert.Contains(proxy.Headers, h => h.Key == "X-Tenant" && h.Value == "blue");
        }

        Assert.Null(decision.Candidates[2].Proxy);
        Assert.Equal("PAC FindProxyForURL returned \"PROXY a.corp:3128; PROXY b.corp:8080; DIRECT\"", decision.Reason);
        Assert.DoesNotContain("pac-login-pw", decision.ToString(), StringComparison.Ordinal);

        // A cached answer is decorated once: the same decision object comes back.
        Assert.Same(decision, settings.Resolve(new Uri("http://example.com/x")));
    }

    [Fact]
    public void Without_login_settings_the_script_answer_is_returned_as_it_is()
    {
        var engine = new FakeEngine { Current = new FakeEngine.Script((_, _) => "PROXY a.corp:3128") };
        var decision = ProxySettings.Compile(new ProxyNetOptions { PacUrl = PacUrl }, _ => null, engine, null).Resolve(new Uri("http://example.com/"));

        Assert.Null(decision.Proxy!.Credentials);
        Assert.False(decision.Proxy.UseDefaultCredentials);
    }

    [Fact]
    public async Task A_request_routed_by_the_script_logs_in_to_the_proxy_with_the_sections_credentials()
    {
        await using var proxy = new RecordingProxy("alice", "pac-login-pw");
        using var origin = new Origin();
        var engine = new FakeEngine { Current = new FakeEngine.Script((_, _) => $"PROXY 127.0.0.1:{proxy.Port}") };
        var options = new ProxyNetOptions { UseEnvironment = false, PacUrl = PacUrl, Username = "alice", Password = "pac-login-pw", LoginHosts = { $"127.0.0.1:{proxy.Port}" } };
        using var client = new HttpClient(ProxyNet.Http.ProxyNetHandler.Create(ProxyResolver.Create(options, engine)));
        string url = $"{origin.IpUrl}/hello-pac-login-{Guid.NewGuid():N}";

        using var response = await client.GetAsync(new Uri(url));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(proxy.Requests, r => r.Target == url && r.ProxyAuthorization == proxy.RequiredAuthorization);
    }
    [Fact]
    public async Task A_proxy_the_script_names_outside_LoginHosts_gets_no_login_and_sees_no_header()
    {
        await using var proxy = new RecordingProxy("alice", "pac-login-pw");
        using var origin = new Origin();
        var warnings = new List<string>();
        var engine = new FakeEngine { Current = new FakeEngine.Script((_, _) => $"PROXY 127.0.0.1:{proxy.Port}") };
        var options = new ProxyNetOptions
        {
            UseEnvironment = false,
            PacUrl = PacUrl,
            Username = "alice",
            Password = "pac-login-pw",
            ProxyHeaders = { ["X-Tenant"] = "blue" },
            LoginHosts = { "proxy.corp" },
        };
        var settings = ProxySettings.Compile(options, _ => null, engine, warnings.Add);
        var decision = settings.Resolve(new Uri("http://example.com/"));

        Assert.Null(decision.Proxy!.Credentials);
        Assert.Empty(decision.Proxy.Headers);
        Assert.Equal([$"Proxy:Username/Password, UseDefaultCredentials and ProxyHeaders are not offered to http://127.0.0.1:{proxy.Port}: a script or the desktop named it and it does not match Proxy:LoginHosts (add it there if it is yours)"], warnings);

        using var client = new HttpClient(ProxyNet.Http.ProxyNetHandler.Create(ProxyResolver.Create(options, engine)));
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri($"{origin.IpUrl}/no-login")));
        Assert.All(proxy.Requests, r => Assert.Null(r.ProxyAuthorization));
    }

    [Fact]
    public void LoginHosts_binds_from_a_string_or_an_array()
    {
        var fromString = ProxyNet.Tests.Resolution.Section.Bind("""{"Proxy":{"LoginHosts":"proxy.corp, .egress.corp"}}""");
        var fromArray = ProxyNet.Tests.Resolution.Section.Bind("""{"Proxy":{"LoginHosts":["proxy.corp:3128","10.0.0.0/8"]}}""");

        Assert.Equal(["proxy.corp", ".egress.corp"], fromString.LoginHosts.SelectMany(e => e.Split(',', StringSplitOptions.TrimEntries)));
        Assert.Equal(["proxy.corp:3128", "10.0.0.0/8"], fromArray.LoginHosts);
    }
}
