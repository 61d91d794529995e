using ProxyNet.Resolution;
using ProxyNet.Tests.Resolution;

namespace ProxyNet.Tests.Pac;

/// <summary>How a PAC script plugs into the resolver (semantics, section 7), with a scripted engine.</summary>
public sealed class PacResolutionTests
{
    private const string PacUrl = "http://wpad.corp/proxy.pac";

    [Theory]
    [InlineData("PROXY a:3128; PROXY b:8080; DIRECT", "http://a:3128,http://b:8080,DIRECT")]
    [InlineData("proxy a:3128;direct", "http://a:3128,DIRECT")]
    [InlineData("  HTTP a:1 ;; HTTPS b:443; SOCKS c:1080; SOCKS5 d:1; SOCKS4 e:2 ", "http://a:1,https://b:443,socks5://c:1080,socks5://d:1,socks4://e:2")]
    [InlineData("PROXY a", "http://a:80")]
    [InlineData("DIRECT; PROXY a:1", "DIRECT,http://a:1")]
    [InlineData("BOGUS x:1; PROXY a:1 b:2; PROXY http://c:3; PROXY b:99999; PROXY ok:1", "http://ok:1")]
    public void An_answer_becomes_the_candidates_in_order(string answer, string expected)
    {
        var decision = Resolve(answer, "http://example.com/");
        Assert.False(decision.IsError, decision.Error);
        Assert.Equal(expected, string.Join(",", decision.Candidates.Select(c => c.Proxy?.Address ?? "DIRECT")));
        Assert.Equal($"PAC FindProxyForURL returned \"{answer}\"", decision.Reason);
    }

    [Fact]
    public void A_long_failover_list_is_quoted_whole_in_the_reason_and_only_its_first_sixteen_items_are_tried()
    {
        string answer = string.Join("; ", Enumerable.Range(0, 60).Select(i => $"PROXY proxy-{i:D2}.egress.corp.example:3128")) + "; DIRECT";

        var decision = Resolve(answer, "http://example.com/");

        Assert.Equal(PacAnswer.MaxCandidates, decision.Candidates.Count);
        Assert.Equal(16, PacAnswer.MaxCandidates);
        Assert.Equal("http://proxy-15.egress.corp.example:3128", decision.Candidates[^1].Proxy!.Address);
        Assert.Equal($"PAC FindProxyForURL returned \"{answer}\"", decision.Reason);
    }

    [Fact]
    public void Only_a_runaway_answer_is_cut_in_the_reason()
    {
        string answer = "PROXY a:1; " + new string('x', 20_000);

        var decision = Resolve(answer, "http://example.com/");

        Assert.Equal("http://a:1", decision.Proxy?.Address);
        Assert.Equal($"PAC FindProxyForURL returned \"{answer[..PacAnswer.MaxQuotedAnswer]}…\"", decision.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("BOGUS a:1; DIRECTLY")]
    public void An_answer_with_no_usable_item_is_a_configuration_error(string answer)
    {
        var decision = Resolve(answer, "http://example.com/");
        Assert.True(decision.IsError);
        Assert.Contains(PacUrl, decision.Error);
    }

    [Fact]
    public void NO_PROXY_is_applied_before_the_script_is_asked()
    {
        var engine = new FakeEngine { Current = new FakeEngine.Script((_, _) => "PROXY p:1") };
        var settings = ProxySettings.Compile(new ProxyNetOptions { PacUrl = PacUrl, ExcludedDomains = ["internal.corp"] }, _ => null, engine, null);
        var decision = settings.Resolve(new Uri("http://a.internal.corp/"));
        Assert.True(decision.IsDirect);
        Assert.Equal("internal.corp", decision.MatchedEntry);
        Assert.Empty(((FakeEngine.Script)engine.Current).Calls);
    }

    [Fact]
    public void Explicit_options_win_over_the_script_and_the_script_wins_over_the_environment()
    {
        var engine = new FakeEngine { Current = new FakeEngine.Script((_, _) => "PROXY pac:1") };
        var settings = ProxySettings.Compile(new ProxyNetOptions { PacUrl = PacUrl, HttpsProxy = "http://explicit:2" }, Env.Parse("HTTP_PROXY=http://env:3"), engine, null);
        Assert.Equal("http://explicit:2", settings.Resolve(new Uri("https://example.com/")).Proxy!.Address);
        Assert.Equal("http://pac:1", settings.Resolve(new Uri("http://example.com/")).Proxy!.Address);
    }

    [Fact]
    public void Https_urls_are_cut_to_the_authority_and_the_host_is_canonical()
    {
        var script = new FakeEngine.Script((_, _) => "DIRECT");
        var settings = ProxySettings.Compile(new ProxyNetOptions { PacUrl = PacUrl }, _ => null, new FakeEngine { Current = script }, null);
        settings.Resolve(new Uri("https://user:secret@EXAMPLE.com:443/secret/path?token=1#frag"));
        settings.Resolve(new Uri("https://example.com:8443/x"));
        settings.Resolve(new Uri("http://user:secret@Example.COM:8080/a/b?c=d#frag"));
        settings.Resolve(new Uri("http://[::1]/"));
        settings.Resolve(new Uri("ftp://bücher.example/file"));
        Assert.Equal(
            [
                ("https://example.com/", "example.com"),
                ("https://example.com:8443/", "example.com"),
                ("http://example.com:8080/a/b?c=d", "example.com"),
                ("http://[::1]/", "::1"),
                ("ftp://xn--bcher-kva.example/file", "xn--bcher-kva.example"),
            ],
            script.Calls);
    }

    [Fact]
    public void Answers_are_cached_and_a_changed_script_starts_afresh()
    {
        var first = new FakeEngine.Script((_, _) => "PROXY one:1");
        var engine = new FakeEngine { Current = first };
        var settings = ProxySettings.Compile(new ProxyNetOptions { PacUrl = PacUrl }, _ => null, engine, null);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal("http://one:1", settings.Resolve(new Uri("https://example.com/a" + i)).Proxy!.Address);
        }

        Assert.Single(first.Calls);
        engine.Current = new FakeEngine.Script((_, _) => "PROXY two:2");

        // The engine is asked for its current script at most once a second: the change shows within that.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (settings.Resolve(new Uri("https://example.com/")).Proxy!.Address != "http://two:2" && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        Assert.Equal("http://two:2", settings.Resolve(new Uri("https://example.com/")).Proxy!.Address);
    }

    [Fact]
    public void A_script_that_fails_is_a_configuration_error_never_direct()
    {
        var engine = new FakeEngine { LoadFailure = new ProxyConfigurationException($"PAC {PacUrl}: the script could not be fetched: refused") };
        var decision = ProxySettings.Compile(new ProxyNetOptions { PacUrl = PacUrl }, _ => null, engine, null).Resolve(new Uri("http://example.com/"));
        Assert.True(decision.IsError);
        Assert.Contains(PacUrl, decision.Error);

        engine = new FakeEngine { Current = new FakeEngine.Script((_, _) => throw new ProxyConfigurationException($"PAC {PacUrl}: threw")) };
        decision = ProxySettings.Compile(new ProxyNetOptions { PacUrl = PacUrl }, _ => null, engine, null).Resolve(new Uri("http://example.com/"));
        Assert.True(decision.IsError);
    }

    [Theory]
    [InlineData("ftp://host/proxy.pac", "is not an http://, https:// or file:// URL")]
    [InlineData(PacUrl, "no PAC script engine is registered")]
    public void A_pac_url_that_cannot_work_fails_validation(string pacUrl, string message)
    {
        var settings = ProxySettings.Compile(new ProxyNetOptions { PacUrl = pacUrl }, _ => null);
        Assert.Contains(settings.Errors, e => e.Contains(message, StringComparison.Ordinal));
        Assert.True(settings.Resolve(new Uri("http://example.com/")).IsError);
    }

    [Theory]
    [InlineData("http://wpad/proxy.pac")]
    [InlineData("https://wpad/proxy.pac")]
    [InlineData("file:///etc/proxy.pac")]
    [InlineData("/etc/proxy.pac")]
    [InlineData("proxy.pac")]
    [InlineData("  http://wpad/proxy.pac  ")]
    public void A_web_URL_a_file_URL_or_a_path_is_a_pac_url(string pacUrl)
    {
        var settings = ProxySettings.Compile(new ProxyNetOptions { PacUrl = pacUrl }, _ => null, new FakeEngine(), null);
        Assert.Empty(settings.Errors);
        Assert.Equal(pacUrl.Trim(), settings.Pac!.PacUrl);
    }

    [Theory]
    [InlineData("ftp://host/proxy.pac", "Proxy:PacUrl: 'ftp://host/proxy.pac' is not an http://, https:// or file:// URL or a file path")]
    [InlineData("gopher://u:hunter2@host/proxy.pac", "Proxy:PacUrl: 'gopher://host/proxy.pac' is not an http://, https:// or file:// URL or a file path")]
    [InlineData("ht tp://host/proxy.pac", "Proxy:PacUrl: 'ht tp://host/proxy.pac' is not an http://, https:// or file:// URL or a file path")]
    public void Any_other_pac_url_is_the_promised_error(string pacUrl, string expected)
    {
        var settings = ProxySettings.Compile(new ProxyNetOptions { PacUrl = pacUrl }, _ => null, new FakeEngine(), null);
        Assert.Equal([expected], settings.Errors);
    }

    [Fact]
    public void An_AllowedDirect_entry_that_cannot_be_read_is_a_warning_naming_the_key()
    {
        var settings = ProxySettings.Compile(new ProxyNetOptions { AllowedDirect = ["10.0.0.0/33, intranet"] }, _ => null);
        Assert.Equal(["Proxy:AllowedDirect entry '10.0.0.0/33' ignored: prefix length 33 is not between 0 and 32"], settings.Warnings);
        Assert.Single(settings.Egress!.Rules);
    }

    [Fact]
    public void The_environment_proxy_variables_are_not_read_but_its_NO_PROXY_is()
    {
        var engine = new FakeEngine { Current = new FakeEngine.Script((_, _) => "PROXY pac:1") };
        var settings = ProxySettings.Compile(new ProxyNetOptions { PacUrl = PacUrl }, Env.Parse("HTTPS_PROXY=http://env:3|NO_PROXY=skip.me"), engine, null);
        Assert.Equal("http://pac:1", settings.Resolve(new Uri("https://example.com/")).Proxy!.Address);
        Assert.True(settings.Resolve(new Uri("https://skip.me/")).IsDirect);
        Assert.Contains(settings.Trails[(int)ProxyScheme.Https], line => line.StartsWith("Proxy:PacUrl = ", StringComparison.Ordinal));
    }

    private static ProxyDecision Resolve(string answer, string url)
    {
        var engine = new FakeEngine { Current = new FakeEngine.Script((_, _) => answer) };
        return ProxySettings.Compile(new ProxyNetOptions { PacUrl = PacUrl }, _ => null, engine, null).Resolve(new Uri(url));
    }
}
