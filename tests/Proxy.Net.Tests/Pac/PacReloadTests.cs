using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ProxyNet.DependencyInjection;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.Tests.Pac;

/// <summary>A configuration reload fetches the PAC script again (not only after RefreshInterval) and a changed PacUrl switches scripts.</summary>
public sealed class PacReloadTests : IDisposable
{
    private readonly TempFolder _temp = new("proxynet-pac-reload-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_reload_fetches_the_script_again_and_a_new_PacUrl_switches_scripts()
    {
        string first = Write("first.pac", "PROXY one:1");
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Proxy:PacUrl"] = first, ["Proxy:UseEnvironment"] = "false" }).Build();
        var services = new ServiceCollection();
        services.AddProxyNet(config.GetSection("Proxy")).AddPac();
        using var sp = services.BuildServiceProvider();
        var resolver = sp.GetRequiredService<ProxyResolver>();
        var uri = new Uri("http://example.com/");
        Assert.Equal("http://one:1", resolver.Resolve(uri).Proxy!.Address);

        // Same URL, new text: the default refresh interval is 30 minutes, the reload does not wait for it.
        Write("first.pac", "PROXY two:2");
        config.Reload();
        Assert.Equal("http://two:2", await EventuallyAsync(() => resolver.Resolve(uri).Proxy?.Address, "http://two:2"));

        config["Proxy:PacUrl"] = Write("second.pac", "PROXY three:3");
        config.Reload();
        Assert.Equal("http://three:3", resolver.Resolve(uri).Proxy!.Address);
    }

    private static async Task<string?> EventuallyAsync(Func<string?> read, string expected)
    {
        string? value = read();
        for (var deadline = DateTime.UtcNow.AddSeconds(20); value != expected && DateTime.UtcNow < deadline; value = read())
        {
            await Task.Delay(50);
        }

        return value;
    }

    private string Write(string name, string answer) =>
        _temp.Write(name, $"function FindProxyForURL(url, host) {{ return \"{answer}\"; }}");
}
