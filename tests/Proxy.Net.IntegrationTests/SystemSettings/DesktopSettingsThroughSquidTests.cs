using ProxyNet.Http;
using ProxyNet.IntegrationTests.Routing;
using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Resolution;

namespace ProxyNet.IntegrationTests.SystemSettings;

/// <summary>
/// UseSystemProxy routes real requests: GNOME settings (gsettings' keyfile backend in a temp XDG_CONFIG_HOME, read by
/// the real gsettings) pointing at the real squid; its ignore-hosts send a host DIRECT (squid sees nothing).
/// </summary>
[Collection(RealProxiesCollection.Name)]
public sealed class DesktopSettingsThroughSquidTests(RealProxies servers) : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("proxynet-desktop-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task A_GNOME_manual_proxy_carries_the_request_through_squid()
    {
        string path = Clients.NewPath();
        // GNOME's default ignore-hosts lists 127.0.0.0/8, where the test origin lives: empty it.
        using var client = Client($"[system/proxy]\nmode='manual'\nignore-hosts=@as []\n\n[system/proxy/http]\nhost='127.0.0.1'\nport={servers.Squid.Port}\n");

        Assert.Equal("hello from origin", await client.GetStringAsync($"{servers.Origin.IpUrl}{path}"));

        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"GET {servers.Origin.IpUrl}{path}");
    }

    [Fact]
    public async Task A_GNOME_ignore_hosts_entry_goes_direct_and_squid_sees_nothing()
    {
        string path = Clients.NewPath();
        using var client = Client($"[system/proxy]\nmode='manual'\nignore-hosts=['127.0.0.0/8']\n\n[system/proxy/http]\nhost='127.0.0.1'\nport={servers.Squid.Port}\n");

        Assert.Equal("hello from origin", await client.GetStringAsync($"{servers.Origin.IpUrl}{path}"));

        Assert.Contains(servers.Origin.Server.LogEntries, e => e.RequestMessage.Path == path);
        await LogFile.AssertNoLineAsync(() => servers.Squid.AccessLog, path);
    }

    private HttpClient Client(string keyfile)
    {
        string settings = Path.Combine(_home, "glib-2.0", "settings");
        Directory.CreateDirectory(settings);
        File.WriteAllText(Path.Combine(settings, "keyfile"), keyfile);
        var environment = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = _home, ["HOME"] = _home, ["GSETTINGS_BACKEND"] = "keyfile" };
        var compiled = ProxySettings.Compile(new ProxyNetOptions { UseSystemProxy = true }, environment.GetValueOrDefault, null, null);
        Assert.Empty(compiled.Errors);
        return new HttpClient(ProxyNetHandler.Create(new ProxyResolver(() => compiled)));
    }
}
