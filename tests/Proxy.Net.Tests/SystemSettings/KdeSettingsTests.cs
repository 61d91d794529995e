using ProxyNet.Resolution;
using ProxyNet.SystemSettings;

namespace ProxyNet.Tests.SystemSettings;

/// <summary>UseSystemProxy in a KDE session: <c>kioslaverc</c> in a temp XDG_CONFIG_HOME.</summary>
public sealed class KdeSettingsTests : IDisposable
{
    private readonly string _config = Directory.CreateTempSubdirectory("proxynet-kde-").FullName;

    public void Dispose() => Directory.Delete(_config, recursive: true);

    [Fact]
    public void Manual_settings_route_per_scheme_with_socks_behind()
    {
        Write("""
            [Proxy Settings]
            ProxyType=1
            httpProxy=http://proxy.corp 3128
            httpsProxy=http://sproxy.corp:3129
            socksProxy=socks://socks.corp 1080
            NoProxyFor=.internal,10.0.0.0/8,build.corp
            """);
        var settings = Compile();

        Assert.Equal("http://proxy.corp:3128 socks://socks.corp:1080", LibproxyText.Of(settings.Resolve(new Uri("http://example.com/"))));
        Assert.Equal("http://sproxy.corp:3129 socks://socks.corp:1080", LibproxyText.Of(settings.Resolve(new Uri("https://example.com/"))));
        Assert.Equal("socks://socks.corp:1080", LibproxyText.Of(settings.Resolve(new Uri("ftp://example.com/"))));
        Assert.True(settings.Resolve(new Uri("http://a.internal/")).IsDirect);
        Assert.True(settings.Resolve(new Uri("http://10.9.9.9/")).IsDirect);

        // KDE matches NoProxyFor by suffix, as NO_PROXY does.
        var sub = settings.Resolve(new Uri("http://ci.build.corp/"));
        Assert.True(sub.IsDirect);
        Assert.Contains("NoProxyFor", sub.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Reversed_exceptions_proxy_only_the_listed_hosts()
    {
        Write("""
            [Proxy Settings]
            ProxyType=1
            httpProxy=http://proxy.corp:3128
            NoProxyFor=outside.example
            ReversedException=true
            """);
        var settings = Compile();

        Assert.Equal("http://proxy.corp:3128", LibproxyText.Of(settings.Resolve(new Uri("http://outside.example/"))));
        Assert.True(settings.Resolve(new Uri("http://intranet.corp/")).IsDirect);
    }

    [Fact]
    public void A_pac_script_setting_runs_that_script()
    {
        Write("""
            [Proxy Settings]
            ProxyType=2
            Proxy Config Script=http://pac.corp.test/kde.pac
            """);
        var engine = new RecordingEngine((_, _) => "PROXY kde-pac:8080");

        var decision = ProxySettings.Compile(new ProxyNetOptions { UseSystemProxy = true }, Environment, engine, null).Resolve(new Uri("http://example.com/"));

        Assert.Equal("http://kde-pac:8080", LibproxyText.Of(decision));
        Assert.Equal("http://pac.corp.test/kde.pac", engine.Loaded[0]);
    }

    [Theory]
    [InlineData("ProxyType=0", "no proxy")]
    [InlineData("ProxyType=7", "ProxyType=7 is not 0 to 4")]
    [InlineData("ProxyType=4", "use the environment variables")]
    public void Other_modes_are_direct_with_the_reason(string line, string reason)
    {
        Write($"[Proxy Settings]\n{line}\n");

        var decision = Compile().Resolve(new Uri("http://example.com/"));

        Assert.True(decision.IsDirect);
        Assert.Contains(reason, decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_kioslaverc_nothing_is_proxied_and_the_reason_says_why()
    {
        var decision = Compile().Resolve(new Uri("http://example.com/"));

        Assert.True(decision.IsDirect);
        Assert.Contains("no kioslaverc", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_to_kioslaverc_applies_without_a_restart()
    {
        Write("[Proxy Settings]\nProxyType=1\nhttpProxy=http://first.corp 3128\n");
        var clock = new Pac.FakeClock(DateTimeOffset.UnixEpoch);
        var source = new SystemProxySource(() => SystemProxySource.ReadDesktop(Environment), null, null, TimeSpan.FromSeconds(5), clock);
        var uri = new Uri("http://example.com/");
        Assert.Equal("http://first.corp:3128", LibproxyText.Of(source.Resolve(uri, "example.com")));

        // Within the interval the reading is kept; past it, a request starts a new reading and later requests see it.
        Write("[Proxy Settings]\nProxyType=1\nhttpProxy=http://second.corp 3128\n");
        Assert.Equal("http://first.corp:3128", LibproxyText.Of(source.Resolve(uri, "example.com")));
        clock.Now += TimeSpan.FromSeconds(6);
        string seen = LibproxyText.Of(source.Resolve(uri, "example.com"));
        for (int i = 0; i < 200 && seen != "http://second.corp:3128"; i++)
        {
            await Task.Delay(25);
            seen = LibproxyText.Of(source.Resolve(uri, "example.com"));
        }

        Assert.Equal("http://second.corp:3128", seen);

        Write("[Proxy Settings]\nProxyType=0\n");
        source.Refresh();
        Assert.True(source.Resolve(uri, "example.com").IsDirect);
    }

    [Theory]
    [InlineData("http_proxy", "https://example.com/", "DIRECT")]
    [InlineData("HTTP_PROXY", "https://example.com/", "DIRECT")]
    [InlineData("https_proxy", "http://example.com/", "DIRECT")]
    [InlineData("HTTPS_PROXY", "http://example.com/", "DIRECT")]
    [InlineData("ftp_proxy", "http://example.com/", "DIRECT")]
    [InlineData("FTP_PROXY", "http://example.com/", "DIRECT")]
    [InlineData("grpc_proxy", "http://example.com/", "DIRECT")]
    [InlineData("GRPC_PROXY", "http://example.com/", "DIRECT")]
    [InlineData("all_proxy", "http://example.com/", "http://env.corp:1")]
    [InlineData("ALL_PROXY", "http://example.com/", "http://env.corp:1")]
    public void Any_proxy_variable_keeps_the_desktop_from_deciding(string variable, string url, string expected)
    {
        Write("[Proxy Settings]\nProxyType=1\nhttpProxy=http://desktop.corp 3128\nhttpsProxy=http://desktop.corp 3128\n");
        var settings = ProxySettings.Compile(
            new ProxyNetOptions { UseSystemProxy = true },
            name => name == variable ? "http://env.corp:1" : Environment(name),
            null,
            null);

        var decision = settings.Resolve(new Uri(url));

        Assert.Equal(expected, decision.IsDirect ? "DIRECT" : LibproxyText.Of(decision));
    }

    private string? Environment(string name) => name switch
    {
        "XDG_CONFIG_HOME" => _config,
        "XDG_CURRENT_DESKTOP" => "KDE",
        _ => null,
    };

    private ProxySettings Compile() => ProxySettings.Compile(new ProxyNetOptions { UseSystemProxy = true }, Environment, null, null);

    private void Write(string text) => File.WriteAllText(Path.Combine(_config, "kioslaverc"), text);
}
