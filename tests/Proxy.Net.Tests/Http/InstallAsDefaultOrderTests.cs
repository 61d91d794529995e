using System.Net;
using ProxyNet.Http;
using ProxyNet.Resolution;

namespace ProxyNet.Tests.Http;

/// <summary>
/// <see cref="ProxyNetWebProxy.InstallAsDefault"/> handles disposed in order, out of order and twice: the default is
/// always the newest install still standing, or the original. The installed proxies send everything DIRECT, so
/// another test's <c>new HttpClient()</c> is not sent anywhere while one is installed.
/// </summary>
[Collection(DefaultProxyCollection.Name)]
public sealed class InstallAsDefaultOrderTests
{
    [Fact]
    public void Handles_disposed_in_reverse_order_restore_each_previous_default()
    {
        var original = HttpClient.DefaultProxy;
        var a = ProxyNetWebProxy.InstallAsDefault(Direct());
        var afterA = HttpClient.DefaultProxy;
        var b = ProxyNetWebProxy.InstallAsDefault(Direct());
        Assert.NotSame(afterA, HttpClient.DefaultProxy);

        b.Dispose();
        Assert.Same(afterA, HttpClient.DefaultProxy);
        a.Dispose();
        Assert.Same(original, HttpClient.DefaultProxy);
    }

    [Fact]
    public void A_handle_disposed_out_of_order_leaves_the_newest_install_then_the_original()
    {
        var original = HttpClient.DefaultProxy;
        var a = ProxyNetWebProxy.InstallAsDefault(Direct());
        var afterA = HttpClient.DefaultProxy;
        var b = ProxyNetWebProxy.InstallAsDefault(Direct());
        var afterB = HttpClient.DefaultProxy;
        var c = ProxyNetWebProxy.InstallAsDefault(Direct());

        // The middle one first: the newest stays.
        b.Dispose();
        Assert.NotSame(afterB, HttpClient.DefaultProxy);
        Assert.IsType<ProxyNetWebProxy>(HttpClient.DefaultProxy);

        // The newest next: the oldest remaining comes back, never the disposed middle one.
        c.Dispose();
        Assert.Same(afterA, HttpClient.DefaultProxy);
        a.Dispose();
        Assert.Same(original, HttpClient.DefaultProxy);
    }

    [Fact]
    public void The_oldest_disposed_first_still_ends_at_the_original()
    {
        var original = HttpClient.DefaultProxy;
        var a = ProxyNetWebProxy.InstallAsDefault(Direct());
        var b = ProxyNetWebProxy.InstallAsDefault(Direct());
        var afterB = HttpClient.DefaultProxy;

        a.Dispose();
        Assert.Same(afterB, HttpClient.DefaultProxy);
        b.Dispose();
        Assert.Same(original, HttpClient.DefaultProxy);
    }

    [Fact]
    public void Disposing_twice_does_nothing_the_second_time()
    {
        var original = HttpClient.DefaultProxy;
        var a = ProxyNetWebProxy.InstallAsDefault(Direct());
        var afterA = HttpClient.DefaultProxy;
        var b = ProxyNetWebProxy.InstallAsDefault(Direct());

        b.Dispose();
        b.Dispose();
        Assert.Same(afterA, HttpClient.DefaultProxy);

        a.Dispose();
        var later = new WebProxy();
        HttpClient.DefaultProxy = later;
        a.Dispose();
        b.Dispose();
        Assert.Same(later, HttpClient.DefaultProxy);
        HttpClient.DefaultProxy = original;
    }

    [Fact]
    public async Task Installs_and_disposals_from_many_threads_end_at_the_original()
    {
        var original = HttpClient.DefaultProxy;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 200; i++)
            {
                var first = ProxyNetWebProxy.InstallAsDefault(Direct());
                var second = ProxyNetWebProxy.InstallAsDefault(Direct());
                Assert.IsType<ProxyNetWebProxy>(HttpClient.DefaultProxy);
                first.Dispose();
                second.Dispose();
            }
        })));

        Assert.Same(original, HttpClient.DefaultProxy);
    }

    private static ProxyResolver Direct() => ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false });
}

/// <summary>Tests that change <see cref="HttpClient.DefaultProxy"/>: one at a time, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DefaultProxyCollection
{
    public const string Name = "HttpClient.DefaultProxy";
}
