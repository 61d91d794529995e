using ProxyNet.Resolution;

namespace ProxyNet.Tests.SystemSettings;

/// <summary>AutoDetect: WPAD by DNS only, with the machine's domain and DNS injected.</summary>
public sealed class WpadTests
{
    [Theory]
    [InlineData("eng.corp.example.com", "wpad.eng.corp.example.com|wpad.corp.example.com|wpad.example.com")]
    [InlineData("Corp.Example.COM.", "wpad.corp.example.com|wpad.example.com")]
    [InlineData("example.com", "wpad.example.com")]
    [InlineData("corp", "")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Suffixes_longest_first_never_a_top_level_domain_alone(string? domain, string hosts) =>
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

    private static Func<string, string?> Env(string name, string value) => n => n == name ? value : null;

    private sealed class FixedSource(ProxyDecision decision) : IDynamicProxySource
    {
        public ProxyDecision Resolve(Uri uri, string host) => decision;
    }
}
