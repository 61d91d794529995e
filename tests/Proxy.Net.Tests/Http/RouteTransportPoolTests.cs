using System.Net;
using ProxyNet.Http;
using ProxyNet.Resolution;
using ProxyNet.Tls;

namespace ProxyNet.Tests.Http;

/// <summary>
/// The route pool: one transport per route compared by value, reused while alive, the least recently used idle ones
/// disposed beyond capacity, busy ones never, everything disposed with the pool.
/// </summary>
public sealed class RouteTransportPoolTests
{
    private static readonly ProxyEndpoint A = new("http", "a.test", 3128, null);
    private static readonly ProxyEndpoint B = new("http", "b.test", 3128, null);
    private static readonly ProxyEndpoint C = new("http", "c.test", 3128, null);

    private readonly FakeRoutes _routes = new(_ => new HttpResponseMessage());

    [Fact]
    public void A_route_is_reused_and_equal_settings_share_it()
    {
        using var pool = _routes.Pool();
        var first = pool.Acquire(A, new TransportSettings());
        first.Release();
        var second = pool.Acquire(new ProxyEndpoint("http", "a.test", 3128, null), new TransportSettings());
        second.Release();

        Assert.Same(first, second);
        Assert.Single(_routes.Transports);
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public void Different_proxies_settings_or_tunnelling_are_different_routes()
    {
        using var pool = _routes.Pool();
        var dangerous = new TransportSettings { DangerousAcceptAnyOriginCertificate = true };
        pool.Acquire(A, null).Release();
        pool.Acquire(B, null).Release();
        pool.Acquire(A, dangerous).Release();
        pool.Acquire(A, null, tunnel: true).Release();
        pool.Acquire(null, null).Release();

        Assert.Equal(5, pool.Count);
        Assert.Equal([false, false, false, true, false], _routes.Transports.Select(t => t.Tunnel));
    }

    [Fact]
    public void Only_an_http_proxy_route_is_tunnelled_on_request()
    {
        using var pool = _routes.Pool();
        var socks = new ProxyEndpoint("socks5", "s.test", 1080, null);
        pool.Acquire(socks, null, tunnel: true).Release();
        pool.Acquire(socks, null, tunnel: false).Release();
        pool.Acquire(null, null, tunnel: true).Release();

        Assert.Equal(2, pool.Count);
        Assert.All(_routes.Transports, t => Assert.False(t.Tunnel));
    }

    [Fact]
    public void Settings_given_to_the_pool_are_its_default_and_given_to_a_route_win()
    {
        var poolDefault = new TransportSettings { DangerousAcceptAnyProxyCertificate = true };
        var own = new TransportSettings { DangerousAcceptAnyOriginCertificate = true };
        var seen = new List<TransportSettings>();
        using var pool = new RouteTransportPool(
            (_, settings, _) =>
            {
                seen.Add(settings);
                return new FakeTransport(null, false, _ => new HttpResponseMessage());
            },
            poolDefault);

        pool.Acquire(null, null).Release();
        pool.Acquire(null, own).Release();

        Assert.Same(poolDefault, pool.DefaultSettings);
        Assert.Equal([poolDefault, own], seen);
        Assert.Same(TransportSettings.Default, new RouteTransportPool((_, _, _) => new FakeTransport(null, false, _ => new HttpResponseMessage()), null).DefaultSettings);
    }

    [Fact]
    public async Task Beyond_capacity_the_least_recently_used_idle_route_is_disposed_and_a_busy_one_never()
    {
        using var pool = _routes.Pool(capacity: 2);
        var busy = pool.Acquire(A, null);
        pool.Acquire(B, null).Release();
        await Task.Delay(30);
        pool.Acquire(C, null).Release();
        await Task.Delay(30);
        pool.Acquire(null, null).Release();

        var transports = _routes.Transports.ToDictionary(t => t.Proxy?.Host ?? "DIRECT");
        Assert.False(transports["a.test"].Disposed);
        Assert.True(transports["b.test"].Disposed);
        Assert.True(transports["c.test"].Disposed);
        Assert.False(transports["DIRECT"].Disposed);
        Assert.Equal(2, pool.Count);
        busy.Release();
    }

    [Fact]
    public async Task A_released_route_is_disposed_when_the_pool_is_over_capacity()
    {
        using var pool = _routes.Pool(capacity: 1);
        var first = pool.Acquire(A, null);
        first.Release();
        await Task.Delay(30);
        pool.Acquire(B, null).Release();

        Assert.True(_routes.Transports.First().Disposed);
        Assert.Equal(1, pool.Count);

        // A retired route is never handed out again: asking for it builds a new one.
        var again = pool.Acquire(A, null);
        Assert.NotSame(first, again);
        again.Release();
    }

    [Fact]
    public async Task A_new_route_is_handed_out_when_the_pool_is_over_capacity_and_every_other_route_is_busy()
    {
        using var pool = _routes.Pool(capacity: 1);
        var busy = pool.Acquire(A, null);

        // The sweep must not retire the route it was asked for (it used to, then rebuilt it, forever).
        var fresh = Task.Run(() => pool.Acquire(B, null));
        var route = await fresh.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotSame(busy, route);
        route.Release();
        busy.Release();
    }

    [Fact]
    public async Task An_idle_route_is_kept_within_IdleTimeout_and_disposed_after_it()
    {
        using var keep = new RouteTransportPool((p, _, t) => Track(p, t)) { IdleTimeout = TimeSpan.FromMinutes(5), Capacity = 2 };
        using var drop = new RouteTransportPool((p, _, t) => Track(p, t)) { IdleTimeout = TimeSpan.FromMilliseconds(100), Capacity = 2 };
        keep.Acquire(A, null).Release();
        drop.Acquire(A, null).Release();

        // The pool sweeps at most once a second, on a new route.
        await Task.Delay(1200);
        keep.Acquire(B, null).Release();
        drop.Acquire(B, null).Release();

        Assert.Equal(2, keep.Count);
        Assert.Equal(1, drop.Count);
    }

    [Fact]
    public void Disposing_the_pool_disposes_every_transport()
    {
        var pool = _routes.Pool();
        pool.Acquire(A, null).Release();
        pool.Acquire(null, null).Release();

        pool.Dispose();

        Assert.All(_routes.Transports, t => Assert.True(t.Disposed));
        Assert.Equal(0, pool.Count);
    }

    [Fact]
    public async Task The_handler_releases_its_route_after_each_send_single_or_failover()
    {
        var routes = new FakeRoutes(_ => new HttpResponseMessage());
        using var client = routes.Client(new ProxyNetOptions { HttpProxy = "http://a.test:3128, http://b.test:3128", UseEnvironment = false }, capacity: 2);
        using (var first = await client.GetAsync("http://origin.test/"))
        {
            await Task.Delay(30);
        }

        using (var single = new HttpRequestMessage(HttpMethod.Get, "http://origin.test/").UseProxy("http://c.test:3128"))
        {
            using var response = await client.SendAsync(single);
        }

        await Task.Delay(30);
        using (var other = new HttpRequestMessage(HttpMethod.Get, "http://origin.test/").UseProxy("http://d.test:3128"))
        {
            using var response = await client.SendAsync(other);
        }

        var transports = routes.Transports.ToDictionary(t => t.Proxy!.Host);
        Assert.True(transports["a.test"].Disposed);
        Assert.False(transports["d.test"].Disposed);
    }

    private static FakeTransport Track(ProxyEndpoint? proxy, bool tunnel) => new(proxy, tunnel, _ => new HttpResponseMessage());
}
