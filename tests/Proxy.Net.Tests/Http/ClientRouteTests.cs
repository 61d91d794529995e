using ProxyNet.Http;
using ProxyNet.Resolution;

namespace ProxyNet.Tests.Http;

/// <summary>A client's mode and a request's override decide the route before the global settings, with their reasons.</summary>
public sealed class ClientRouteTests
{
    private static readonly ProxyResolver Global = ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false, HttpProxy = "http://global.test:3128" });

    [Fact]
    public void A_Direct_client_bypasses_the_global_proxy()
    {
        using var handler = (ProxyNetHandler)ProxyNetHandler.Create(Global, new ProxyClientOptions { Mode = ProxyClientMode.Direct });
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://origin.test/");

        var decision = handler.Decide(request);

        Assert.True(decision.IsDirect);
        Assert.Equal("client bypasses the global proxy", decision.Reason);
    }

    [Fact]
    public void A_Proxy_client_uses_its_own_proxy()
    {
        using var handler = (ProxyNetHandler)ProxyNetHandler.Create(Global, new ProxyClientOptions { Mode = ProxyClientMode.Proxy, ProxyUrl = "http://own.test:8080" });
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://origin.test/");

        var decision = handler.Decide(request);

        Assert.Equal("http://own.test:8080", decision.Proxy!.Address);
        Assert.Equal("client proxy", decision.Reason);
    }

    [Fact]
    public void A_per_request_override_wins_over_the_client()
    {
        using var handler = (ProxyNetHandler)ProxyNetHandler.Create(Global, new ProxyClientOptions { Mode = ProxyClientMode.Direct });
        using var viaProxy = new HttpRequestMessage(HttpMethod.Get, "http://origin.test/").UseProxy("socks5h://override.test:1080");
        using var direct = new HttpRequestMessage(HttpMethod.Get, "http://origin.test/").BypassProxy();
        using var handlerGlobal = (ProxyNetHandler)ProxyNetHandler.Create(Global);

        var decision = handler.Decide(viaProxy);
        Assert.Equal("socks5h://override.test:1080", decision.Proxy!.Address);
        Assert.Equal("per-request override", decision.Reason);

        var bypass = handlerGlobal.Decide(direct);
        Assert.True(bypass.IsDirect);
        Assert.Equal("per-request override: direct", bypass.Reason);
    }

    [Fact]
    public void A_malformed_override_throws_at_once_naming_the_override()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://origin.test/");

        var error = Assert.Throws<ProxyConfigurationException>(() => request.UseProxy("ftp://override.test:21"));

        Assert.StartsWith("per-request override: unsupported proxy scheme 'ftp'", error.Message, StringComparison.Ordinal);
        Assert.False(request.Options.TryGetValue(ProxyRequestExtensions.OverrideKey, out _));
    }

    [Fact]
    public void Without_a_client_the_global_route_applies()
    {
        using var handler = (ProxyNetHandler)ProxyNetHandler.Create(Global);
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://origin.test/");

        Assert.Equal("http://global.test:3128", handler.Decide(request).Proxy!.Address);
    }

    [Fact]
    public async Task Arguments_are_checked()
    {
        using var handler = (ProxyNetHandler)ProxyNetHandler.Create(Global);
        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        using var noUri = new HttpRequestMessage();

        Assert.Throws<ArgumentNullException>(() => handler.Decide(null!));
        Assert.Equal("The request has no RequestUri.", Assert.Throws<InvalidOperationException>(() => handler.Decide(noUri)).Message);
        var sent = await Assert.ThrowsAsync<InvalidOperationException>(() => invoker.SendAsync(noUri, CancellationToken.None));
        Assert.Equal("The request has no RequestUri.", sent.Message);
        Assert.Equal("request", Assert.Throws<ArgumentNullException>(() => ((HttpRequestMessage)null!).BypassProxy()).ParamName);
        Assert.Equal("request", Assert.Throws<ArgumentNullException>(() => ((HttpRequestMessage)null!).UseProxy("http://p:1")).ParamName);
        Assert.Equal("proxyUrl", Assert.Throws<ArgumentNullException>(() => noUri.UseProxy(null!)).ParamName);
        Assert.Equal("resolver", Assert.Throws<ArgumentNullException>(() => new ProxyNetWebProxy(null!)).ParamName);
    }

    [Fact]
    public void The_web_proxy_hands_out_credentials_for_the_configured_proxy_only()
    {
        var proxy = new ProxyNetWebProxy(ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false, HttpProxy = "http://u:pw@proxy.test:3128" }));

        Assert.Equal("u", proxy.Credentials!.GetCredential(new Uri("http://proxy.test:3128/"), "Basic")!.UserName);
        Assert.Null(proxy.Credentials.GetCredential(new Uri("http://proxy.test:3129/"), "Basic"));
        Assert.Null(proxy.Credentials.GetCredential(new Uri("http://other.test:3128/"), "Basic"));
    }
}
