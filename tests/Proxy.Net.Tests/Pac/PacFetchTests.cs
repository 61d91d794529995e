using ProxyNet.Pac;
using ProxyNet.Resolution;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ProxyNet.Tests.Pac;

/// <summary>Loading scripts: files and HTTP (DIRECT), size limit, refresh keeping the last good script.</summary>
public sealed class PacFetchTests : IDisposable
{
    private const string Script = "function FindProxyForURL(url, host) { return 'PROXY one:1'; }";
    private readonly string _dir = Directory.CreateTempSubdirectory("pac").FullName;
    private readonly FakeClock _clock = new(DateTimeOffset.UnixEpoch);

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void A_path_and_a_file_url_load_alike()
    {
        string path = Path.Combine(_dir, "proxy.pac");
        File.WriteAllText(path, Script);
        using var pac = new ProxyAutoConfig(new PacOptions(), null, _clock);
        Assert.Equal("PROXY one:1", pac.Load(path).FindProxyForUrl("http://x/", "x"));
        Assert.Equal("PROXY one:1", pac.Load(new Uri(path).AbsoluteUri).FindProxyForUrl("http://x/", "x"));
    }

    [Fact]
    public void Http_is_fetched_and_resolves_through_the_resolver()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath("/proxy.pac")).RespondWith(Response.Create().WithBody(Script));
        using var pac = new ProxyAutoConfig(new PacOptions(), null, _clock);
        var resolver = ProxyResolver.Create(new ProxyNetOptions { PacUrl = server.Url + "/proxy.pac", UseEnvironment = false }, pac);
        var decision = resolver.Resolve(new Uri("https://example.com/"));
        Assert.Equal("http://one:1", decision.Proxy!.Address);
        Assert.Equal("PAC FindProxyForURL returned \"PROXY one:1\"", decision.Reason);
    }

    [Fact]
    public void A_script_that_never_loaded_is_an_error_naming_the_url_and_is_not_fetched_on_every_request()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath("/proxy.pac")).RespondWith(Response.Create().WithStatusCode(503));
        using var pac = new ProxyAutoConfig(new PacOptions(), null, _clock);
        var resolver = ProxyResolver.Create(new ProxyNetOptions { PacUrl = server.Url + "/proxy.pac" }, pac);
        for (int i = 0; i < 3; i++)
        {
            var decision = resolver.Resolve(new Uri($"http://h{i}.example/"));
            Assert.True(decision.IsError);
            Assert.Contains(server.Url + "/proxy.pac", decision.Error);
            Assert.Contains("503", decision.Error);
        }

        Assert.Single(server.LogEntries);
    }

    [Fact]
    public void A_script_over_the_size_limit_is_refused()
    {
        string path = Path.Combine(_dir, "big.pac");
        File.WriteAllText(path, Script + new string(' ', 2000));
        using var pac = new ProxyAutoConfig(new PacOptions { MaxScriptSize = 1000 }, null, _clock);
        var error = Assert.Throws<ProxyConfigurationException>(() => pac.Load(path));
        Assert.Contains("size limit (1000 bytes)", error.Message);
    }

    [Fact]
    public void A_failed_refresh_keeps_the_last_good_script_and_a_changed_one_replaces_it()
    {
        string path = Path.Combine(_dir, "proxy.pac");
        File.WriteAllText(path, Script);
        using var pac = new ProxyAutoConfig(new PacOptions(), null, _clock);
        var first = pac.Load(path);

        File.WriteAllText(path, "function FindProxyForURL(url, host) { return ");
        pac.Refresh();
        Assert.Same(first, pac.Load(path));

        File.Delete(path);
        pac.Refresh();
        Assert.Same(first, pac.Load(path));

        File.WriteAllText(path, Script);
        pac.Refresh();
        Assert.Same(first, pac.Load(path));

        File.WriteAllText(path, "function FindProxyForURL(url, host) { return 'PROXY two:2'; }");
        pac.Refresh();
        Assert.Equal("PROXY two:2", pac.Load(path).FindProxyForUrl("http://x/", "x"));
    }
}
