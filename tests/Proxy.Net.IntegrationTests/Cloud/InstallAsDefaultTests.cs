using System.Net;
using ProxyNet.Http;
using ProxyNet.IntegrationTests.Routing;
using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.IntegrationTests.Cloud;

/// <summary>
/// <see cref="ProxyNetWebProxy.InstallAsDefault"/> through a real squid: code that builds its own <see cref="HttpClient"/>
/// follows the variables. <see cref="HttpClient.DefaultProxy"/> is process-wide, so these tests run alone.
/// </summary>
[Collection(DefaultProxyCollection.Name)]
public sealed class InstallAsDefaultTests : IAsyncLifetime
{
    private readonly Origin _origin = new();
    private SquidServer _squid = null!;
    private IWebProxy _original = null!;

    public async Task InitializeAsync()
    {
        _squid = await SquidServer.StartAsync();
        _original = HttpClient.DefaultProxy;
        // A known previous default that goes DIRECT, whatever the machine's environment says.
        HttpClient.DefaultProxy = new WebProxy();
    }

    public async Task DisposeAsync()
    {
        HttpClient.DefaultProxy = _original;
        _origin.Dispose();
        await _squid.DisposeAsync();
    }

    [Fact]
    public async Task A_plain_HttpClient_follows_HTTP_PROXY_and_a_CIDR_NO_PROXY_entry()
    {
        string proxied = Clients.NewPath();
        string bypassed = Clients.NewPath();
        using (ProxyNetWebProxy.InstallAsDefault(Environment(("HTTP_PROXY", _squid.Url), ("NO_PROXY", "127.0.0.0/8"))))
        {
            using var client = new HttpClient();
            Assert.Equal("hello from origin", await client.GetStringAsync($"{_origin.NameUrl}{proxied}"));
            Assert.Equal("hello from origin", await client.GetStringAsync($"{_origin.IpUrl}{bypassed}"));
        }

        // localhost is a name (no DNS for NO_PROXY), so the CIDR does not cover it: squid; 127.0.0.1 is inside it: DIRECT.
        Assert.Contains($"GET {_origin.NameUrl}{proxied}", await LogFile.WaitForLineAsync(() => _squid.AccessLog, proxied), StringComparison.Ordinal);
        await LogFile.AssertNoLineAsync(() => _squid.AccessLog, bypassed);
    }

    [Fact]
    public async Task Proxy_credentials_from_the_variable_authenticate_a_plain_HttpClient()
    {
        await using var authSquid = await SquidServer.StartAsync(RealProxies.User, RealProxies.Password);
        string url = $"http://{RealProxies.User}:{Uri.EscapeDataString(RealProxies.Password)}@127.0.0.1:{authSquid.Port}";
        string path = Clients.NewPath();
        using (ProxyNetWebProxy.InstallAsDefault(Environment(("HTTP_PROXY", url))))
        {
            using var client = new HttpClient();
            Assert.Equal("hello from origin", await client.GetStringAsync($"{_origin.IpUrl}{path}"));
        }

        // squid logs the first, unauthenticated try as TCP_DENIED/407, then the request with the user.
        Assert.Contains("TCP_MISS/200", await LogFile.WaitForLineAsync(() => authSquid.AccessLog, $"{path} {RealProxies.User} "), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_the_handle_restores_the_previous_default_once()
    {
        var previous = HttpClient.DefaultProxy;
        var handle = ProxyNetWebProxy.InstallAsDefault(Environment(("HTTP_PROXY", _squid.Url)));
        Assert.IsType<ProxyNetWebProxy>(HttpClient.DefaultProxy);

        handle.Dispose();
        Assert.Same(previous, HttpClient.DefaultProxy);
        string path = Clients.NewPath();
        using (var client = new HttpClient())
        {
            Assert.Equal("hello from origin", await client.GetStringAsync($"{_origin.IpUrl}{path}"));
        }

        await LogFile.AssertNoLineAsync(() => _squid.AccessLog, path);

        var later = new WebProxy();
        HttpClient.DefaultProxy = later;
        handle.Dispose();
        Assert.Same(later, HttpClient.DefaultProxy);
    }

    [Fact]
    public void Nested_handles_restore_in_reverse_order_and_no_resolver_means_the_environment()
    {
        var previous = HttpClient.DefaultProxy;
        using (ProxyNetWebProxy.InstallAsDefault())
        {
            var outer = HttpClient.DefaultProxy;
            Assert.IsType<ProxyNetWebProxy>(outer);
            using (ProxyNetWebProxy.InstallAsDefault(Environment(("HTTP_PROXY", _squid.Url))))
            {
                Assert.NotSame(outer, HttpClient.DefaultProxy);
            }

            Assert.Same(outer, HttpClient.DefaultProxy);
        }

        Assert.Same(previous, HttpClient.DefaultProxy);
    }

    /// <summary>The environment code path over given variables, so the test process's own environment is never changed.</summary>
    private static ProxyResolver Environment(params (string Name, string Value)[] variables)
    {
        var settings = ProxySettings.Compile(null, name => variables.FirstOrDefault(v => v.Name == name).Value);
        return new ProxyResolver(() => settings);
    }
}

/// <summary>Tests that change <see cref="HttpClient.DefaultProxy"/>: run after the parallel collections, one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DefaultProxyCollection
{
    public const string Name = "HttpClient.DefaultProxy (process-wide)";
}
