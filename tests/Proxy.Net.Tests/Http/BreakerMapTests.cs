using ProxyNet.Http;
using ProxyNet.Tests.Pac;

namespace ProxyNet.Tests.Http;

/// <summary>The breaker map is bounded: PAC scripts may name any number of proxies over a process's life.</summary>
public sealed class BreakerMapTests
{
    [Fact]
    public void Past_the_bound_the_least_recently_used_breakers_go_and_the_one_in_hand_stays()
    {
        var clock = new FakeClock(DateTimeOffset.UnixEpoch);
        var failover = new ProxyFailover(clock);
        var kept = failover.For(Proxy(0));

        for (int i = 1; i <= 1000; i++)
        {
            clock.Now += TimeSpan.FromMilliseconds(1);
            failover.For(Proxy(i));
            Assert.True(failover.Count <= ProxyFailover.MaxBreakers, $"{failover.Count} breakers after {i} proxies");
        }

        Assert.NotSame(kept, failover.For(Proxy(0)));
        var recent = failover.For(Proxy(1000));
        Assert.Same(recent, failover.For(Proxy(1000)));
    }

    [Fact]
    public void A_breaker_unused_for_ten_minutes_is_removed()
    {
        var clock = new FakeClock(DateTimeOffset.UnixEpoch);
        var failover = new ProxyFailover(clock);
        for (int i = 0; i < 100; i++)
        {
            failover.For(Proxy(i));
        }

        clock.Now += ProxyFailover.IdleTimeout + TimeSpan.FromMinutes(1);
        failover.For(Proxy(0));

        Assert.Equal(1, failover.Count);
    }

    private static ProxyEndpoint Proxy(int i) => new("http", $"p{i}.test", 3128, null);
}
