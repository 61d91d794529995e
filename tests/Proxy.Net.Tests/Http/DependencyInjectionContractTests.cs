using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ProxyNet.DependencyInjection;
using ProxyNet.Http;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.Tests.Http;

/// <summary>
/// The DI methods as a user calls them: argument checks with the parameter's name, a proxy URL checked when the
/// client is registered, registrations that do not pile up when called again, and the last choice for a client winning.
/// </summary>
public sealed class DependencyInjectionContractTests : IAsyncLifetime
{
    private readonly OriginAndProxies _net = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _net.DisposeAsync().AsTask();

    [Fact]
    public void Null_arguments_are_refused_by_name()
    {
        var services = new ServiceCollection();
        IServiceCollection? none = null;
        IHttpClientBuilder? noBuilder = null;
        Assert.Equal("services", Assert.Throws<ArgumentNullException>(() => none!.AddProxyNet()).ParamName);
        Assert.Equal("section", Assert.Throws<ArgumentNullException>(() => services.AddProxyNet((IConfiguration)null!)).ParamName);
        Assert.Equal("configure", Assert.Throws<ArgumentNullException>(() => services.AddProxyNet((Action<ProxyNetOptions>)null!)).ParamName);
        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => noBuilder!.AddProxySupport()).ParamName);
        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => noBuilder!.BypassGlobalProxy()).ParamName);
        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => noBuilder!.ConfigureProxy(_ => { })).ParamName);
        Assert.Equal("configure", Assert.Throws<ArgumentNullException>(() => services.AddHttpClient("x").ConfigureProxy(null!)).ParamName);
        Assert.Equal("proxyUrl", Assert.Throws<ArgumentNullException>(() => services.AddHttpClient("x").UseProxy(null!)).ParamName);
        Assert.Equal("proxyUrl", Assert.Throws<ArgumentException>(() => services.AddHttpClient("x").UseProxy("  ")).ParamName);
    }

    [Fact]
    public void A_broken_client_proxy_URL_fails_at_registration_naming_the_client()
    {
        var services = new ServiceCollection();
        var e = Assert.Throws<ProxyConfigurationException>(() => services.AddHttpClient("vendor").UseProxy("http://user:hunter2@p:99999"));
        Assert.Equal("client 'vendor' proxy: port 99999 is out of range", e.Message);
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(ProxyResolver));
    }

    [Fact]
    public void Registering_again_adds_no_second_copy_of_the_shared_services()
    {
        var services = new ServiceCollection();
        services.AddProxyNet().AddProxyNet();
        services.AddProxyNet(o => o.HttpProxy = "http://p:1");
        services.AddHttpClient("a").AddProxySupport();
        services.AddHttpClient("b").BypassGlobalProxy();
        foreach (var type in new[] { typeof(ProxyResolver), typeof(ProxySettingsProvider), typeof(RouteTransportPool), typeof(ProxyFailover), typeof(WarningLedger), typeof(ProxyNetWebProxy) })
        {
            Assert.Single(services, d => d.ServiceType == type);
        }

        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<ProxyNetOptions>));
    }

    [Fact]
    public void A_broken_setting_is_listed_once_at_startup_however_often_Proxy_Net_was_added()
    {
        var services = new ServiceCollection();
        services.AddProxyNet(o => o.HttpProxy = "http://p:99999");
        services.AddProxyNet();
        services.AddHttpClient("a").AddProxySupport();
        using var sp = services.BuildServiceProvider();
        var e = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.Equal(["Proxy:HttpProxy: port 99999 is out of range"], e.Failures);
    }

    [Fact]
    public async Task The_last_choice_for_a_client_wins_and_the_client_keeps_one_handler()
    {
        using var sp = _net.Services(services =>
        {
            services.AddHttpClient("vendor").BypassGlobalProxy().AddProxySupport().UseProxy(_net.Other.Url);
            services.AddHttpClient("intranet").UseProxy(_net.Other.Url).BypassGlobalProxy();
            services.AddHttpClient("s3").ConfigureProxy(o => o.Mode = ProxyClientMode.Direct).AddProxySupport();
        });
        var factory = sp.GetRequiredService<IHttpClientFactory>();

        await factory.CreateClient("vendor").GetStringAsync($"{_net.Origin.IpUrl}/hello-vendor");
        await factory.CreateClient("intranet").GetStringAsync($"{_net.Origin.IpUrl}/hello-intranet");
        await factory.CreateClient("s3").GetStringAsync($"{_net.Origin.IpUrl}/hello-s3");

        Assert.Equal([$"{_net.Origin.IpUrl}/hello-vendor"], _net.Other.Requests.Select(r => r.Target));
        Assert.Equal([$"{_net.Origin.IpUrl}/hello-s3"], _net.Proxy.Requests.Select(r => r.Target));
        Assert.Equal(3, _net.Origin.Server.LogEntries.Count);

        var options = sp.GetRequiredService<IOptionsMonitor<ProxyClientOptions>>();
        Assert.Equal(ProxyClientMode.Proxy, options.Get("vendor").Mode);
        Assert.Equal(_net.Other.Url, options.Get("vendor").ProxyUrl);
        Assert.Equal(ProxyClientMode.Direct, options.Get("intranet").Mode);
        Assert.Equal(ProxyClientMode.UseGlobal, options.Get("s3").Mode);
    }

    [Fact]
    public async Task A_client_method_alone_registers_Proxy_Net()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("only").UseProxy(_net.Proxy.Url);
        using var sp = services.BuildServiceProvider();
        Assert.NotNull(sp.GetService<ProxyResolver>());
        await sp.GetRequiredService<IHttpClientFactory>().CreateClient("only").GetStringAsync($"{_net.Origin.IpUrl}/hello-only");
        Assert.Equal([$"{_net.Origin.IpUrl}/hello-only"], _net.Proxy.Requests.Select(r => r.Target));
    }

    [Fact]
    public async Task Settings_set_in_code_apply_and_the_web_proxy_is_registered()
    {
        using var sp = _net.Services(_ => { });
        Assert.Equal(_net.Proxy.Url.TrimEnd('/'), sp.GetRequiredService<ProxyResolver>().Resolve(new Uri("http://example.com/")).Proxy!.Address);
        Assert.Same(sp.GetRequiredService<ProxyResolver>(), sp.GetRequiredService<ProxyResolver>());
        var webProxy = sp.GetRequiredService<ProxyNetWebProxy>();
        using var client = new HttpClient(new SocketsHttpHandler { Proxy = webProxy });
        await client.GetStringAsync($"{_net.Origin.IpUrl}/hello-webproxy");
        Assert.Equal([$"{_net.Origin.IpUrl}/hello-webproxy"], _net.Proxy.Requests.Select(r => r.Target));
    }
}
