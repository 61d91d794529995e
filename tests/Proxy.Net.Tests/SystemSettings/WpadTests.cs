using ProxyNet.Resolution;

namespace ProxyNet.Tests.SystemSettings;

/// <summary>AutoDetect: WPAD by DNS only, with the machine's domain and DNS injected.</summary>
public sealed class WpadTests
{
    [Theory]
    [InlineData("eng.corp.example.com", "wpad.eng.corp.example.com|wpad.corp.example.com|wpad.example.com")]
    [InlineData("Corp.Example.COM.", "wpad.corp.example.com|wpad.example.com")]
    [InlineData("example.com", "wpad.example.com")]
    [InlineData("eng.example.co.uk", "wpad.eng.example.co.uk|wpad.example.co.uk")]
    [InlineData("dept.uni.ac.jp", "wpad.dept.uni.ac.jp|wpad.uni.ac.jp")]
    [InlineData("eng.example.com.au", "wpad.eng.example.com.au|wpad.example.com.au")]
    [InlineData("me.someone.github.io", "wpad.me.someone.github.io|wpad.someone.github.io")]
    [InlineData("a.b.c.d.e.f.g.h.i.j.k.example.com", "wpad.a.b.c.d.e.f.g.h.i.j.k.example.com|wpad.b.c.d.e.f.g.h.i.j.k.example.com|wpad.c.d.e.f.g.h.i.j.k.example.com|wpad.d.e.f.g.h.i.j.k.example.com|wpad.e.f.g.h.i.j.k.example.com|wpad.f.g.h.i.j.k.example.com|wpad.g.h.i.j.k.example.com|wpad.h.i.j.k.example.com")]
    [InlineData("www.ck", "wpad.www.ck")]
    [InlineData("a.www.ck", "wpad.a.www.ck|wpad.www.ck")]
    [InlineData("x.y.ck", "wpad.x.y.ck")]
    [InlineData("y.ck", "")]
    [InlineData("co.uk", "")]
    [InlineData("github.io", "")]
    [InlineData("corp", "")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Suffixes_longest_first_never_at_or_above_a_public_suffix(string? domain, string hosts) =>
        Assert.Equal(hosts, string.Join('|', WpadLocator.Candidates(domain).Select(u => new Uri(u).Host)));

    [Fact]
    public void Every_candidate_is_the_wpad_dat_of_its_host() =>
        Assert.All(WpadLocator.Candidates("a.b.c"), url => Assert.Matches(@"^http://wpad\.[a-z.]+/wpad\.dat$", url));

    [Fact]
    public void The_first_name_that_resolves_is_the_script()
    {
        var asked = new List<string>();
        var locator = new WpadLocator(() => "eng.corp.test", host =>
        {
            asked.Add(host);
            return host == "wpad.corp.test";
        });

        var (url, _) = locator.Find();

        Assert.Equal("http://wpad.corp.test/wpad.dat", url);
        Assert.Equal(["wpad.eng.corp.test", "wpad.corp.test"], asked);
    }

    [Fact]
    public void The_found_script_decides_after_no_proxy()
    {
        var engine = new RecordingEngine((_, host) => host == "example.com" ? "PROXY wpad-proxy:3128; DIRECT" : "DIRECT");
        var source = new WpadSource(engine, null, new WpadLocator(() => "corp.test", host => host == "wpad.corp.test"), next: null);

        var decision = source.Resolve(new Uri("https://example.com/x"), "example.com");

        Assert.Equal("http://wpad-proxy:3128 direct://", LibproxyText.Of(decision));
        Assert.Equal("http://wpad.corp.test/wpad.dat", engine.Loaded[0]);
    }

    [Fact]
    public void Nothing_found_is_direct_in_words_and_the_search_is_not_repeated_per_request()
    {
        int lookups = 0;
        var source = new WpadSource(new RecordingEngine((_, _) => "PROXY never:1"), null, new WpadLocator(() => "corp.test", _ =>
        {
            lookups++;
            return false;
        }), next: null);

        var first = source.Resolve(new Uri("http://example.com/"), "example.com");
        source.Resolve(new Uri("http://example.org/"), "example.org");

        Assert.True(first.IsDirect);
        Assert.Contains("WPAD found no script (no answer for wpad.corp.test)", first.Reason, StringComparison.Ordinal);
        Assert.Equal(1, lookups);
    }

    [Fact]
    public void Nothing_found_falls_to_the_desktop_settings()
    {
        var next = new RecordingEngine((_, _) => "unused");
        var desktop = new FixedSource(ProxyDecision.Direct("desktop says DIRECT"));
        var source = new WpadSource(next, null, new WpadLocator(() => "corp.test", _ => false), desktop);

        Assert.Equal("desktop says DIRECT", source.Resolve(new Uri("http://example.com/"), "example.com").Reason);
    }

    [Fact]
    public void AutoDetect_without_a_script_engine_is_a_configuration_error()
    {
        var settings = ProxySettings.Compile(new ProxyNetOptions { AutoDetect = true }, _ => null, null, null);

        var decision = settings.Resolve(new Uri("http://example.com/"));

        Assert.True(decision.IsError);
        Assert.Contains("Proxy:AutoDetect is true but no PAC script engine is registered", decision.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_proxy_variable_decides_before_wpad()
    {
        var engine = new RecordingEngine((_, _) => "PROXY wpad:1");

        var settings = ProxySettings.Compile(new ProxyNetOptions { AutoDetect = true }, Env("HTTP_PROXY", "http://env:8080"), engine, null);

        Assert.Equal("http://env:8080", LibproxyText.Of(settings.Resolve(new Uri("http://example.com/"))));
        Assert.Empty(engine.Loaded);
    }

    [Theory]
    [InlineData("nameserver 10.0.0.1\ndomain corp.example\nsearch other.example", "corp.example")]
    [InlineData("search  eng.example   corp.example\nnameserver 10.0.0.1", "eng.example")]
    [InlineData("search other.example\ndomain\tcorp.example", "corp.example")]
    [InlineData("# domain commented.example\ndomain\nsearch\nnameserver 10.0.0.1", null)]
    [InlineData("", null)]
    public void The_resolver_configuration_names_the_domain(string text, string? expected) =>
        Assert.Equal(expected, WpadLocator.FromResolvConf(text.Split('\n')));

    [Theory]
    [InlineData("build1.eng.example.com", "eng.example.com")]
    [InlineData("build1.example", "example")]
    [InlineData("build1", null)]
    [InlineData("build1.", null)]
    [InlineData(".example", null)]
    public void A_qualified_host_name_names_the_domain_after_its_first_label(string fqdn, string? expected) =>
        Assert.Equal(expected, WpadLocator.FromHostName(fqdn));

    [Theory]
    [InlineData("corp.example", "corp.example")]
    [InlineData("(none)", null)]
    [InlineData("", null)]
    public void The_reported_domain_counts_unless_it_is_none(string reported, string? expected) =>
        Assert.Equal(expected, WpadLocator.FromReported(reported));

    [Fact]
    public void The_machine_domain_is_read_without_failing()
    {
        // Whatever this machine says, asking never throws and never returns a blank name.
        Assert.NotEqual(string.Empty, WpadLocator.MachineDomain());
    }

    [Theory]
    [InlineData(null, "WPAD found no script (the machine has no DNS domain)")]
    [InlineData("corp", "WPAD found no script (the machine's domain 'corp' is a public suffix or has no name below one (WPAD never asks at or above a public suffix))")]
    [InlineData("co.uk", "WPAD found no script (the machine's domain 'co.uk' is a public suffix or has no name below one (WPAD never asks at or above a public suffix))")]
    [InlineData("eng.corp.test", "WPAD found no script (no answer for wpad.eng.corp.test, wpad.corp.test)")]
    public void Nothing_found_says_what_was_tried(string? domain, string expected)
    {
        var source = new WpadSource(new RecordingEngine((_, _) => "PROXY never:1"), null, new WpadLocator(() => domain, _ => false), next: null);
        Assert.Equal($"Proxy:AutoDetect: {expected}", source.Resolve(new Uri("http://example.com/"), "example.com").Reason);
    }

    [Fact]
    public void The_search_is_repeated_after_thirty_seconds_and_a_found_script_is_kept()
    {
        var clock = new ProxyNet.Tests.Pac.FakeClock(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
        bool published = false;
        int lookups = 0;
        var engine = new RecordingEngine((_, _) => "PROXY found:3128");
        var source = new WpadSource(engine, null, new WpadLocator(() => "corp.test", _ =>
        {
            lookups++;
            return published;
        }), next: null, clock);

        Assert.True(source.Resolve(new Uri("http://example.com/"), "example.com").IsDirect);
        published = true;
        clock.Now += TimeSpan.FromSeconds(29);
        Assert.True(source.Resolve(new Uri("http://example.com/"), "example.com").IsDirect);
        Assert.Equal(1, lookups);

        clock.Now += TimeSpan.FromSeconds(1);
        Assert.Equal("http://found:3128", LibproxyText.Of(source.Resolve(new Uri("http://example.com/"), "example.com")));
        Assert.Equal(2, lookups);

        published = false;
        clock.Now += TimeSpan.FromMinutes(5);
        Assert.Equal("http://found:3128", LibproxyText.Of(source.Resolve(new Uri("http://example.com/"), "example.com")));
        Assert.Equal(2, lookups);
    }

    private static Func<string, string?> Env(string name, string value) => n => n == name ? value : null;

    private sealed class FixedSource(ProxyDecision decision) : IDynamicProxySource
    {
        public ProxyDecision Resolve(Uri uri, string host) => decision;
    }
}
