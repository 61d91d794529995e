using System.Net;
using ProxyNet.Http;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.Tests.Http;

/// <summary>
/// Fault injection through the handler: every misbehaving proxy ends within its timeout with a clear exception,
/// no password in it, and no socket left behind.
/// </summary>
public sealed class HostileProxyTests
{
    private const string Password = "hunter2-secret";

    [Theory]
    [InlineData("garbage")]
    [InlineData("huge-header")]
    [InlineData("no-blank-line")]
    [InlineData("black-hole")]
    [InlineData("close-mid-body")]
    [InlineData("close-at-once")]
    public async Task A_hostile_proxy_fails_the_request_within_its_timeout(string behaviour)
    {
        await using var proxy = new ScriptedServer(async (s, _) =>
        {
            await ScriptedServer.ReadHeadAsync(s);
            switch (behaviour)
            {
                case "garbage":
                    await ScriptedServer.WriteAsync(s, "SSH-2.0-not-http\r\n\r\n");
                    break;
                case "huge-header":
                    await ScriptedServer.WriteAsync(s, "HTTP/1.1 200 OK\r\nX-Big: " + new string('a', 1 << 20) + "\r\n\r\n");
                    break;
                case "no-blank-line":
                    await ScriptedServer.WriteAsync(s, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n");
                    await Task.Delay(10_000);
                    break;
                case "black-hole":
                    await Task.Delay(10_000);
                    break;
                case "close-mid-body":
                    await ScriptedServer.WriteAsync(s, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly a few bytes");
                    break;
            }
        });
        using var client = Client(proxy.Port, TimeSpan.FromSeconds(3));
        var started = DateTime.UtcNow;
        var error = await Record.ExceptionAsync(() => client.GetByteArrayAsync("http://origin.example/file"));
        Assert.NotNull(error);
        Assert.True(error is HttpRequestException or TaskCanceledException or IOException, error.ToString());
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(8), $"ended after {DateTime.UtcNow - started}");
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proxy_that_answers_407_forever_is_asked_once_more_then_refused()
    {
        int requests = 0;
        await using var proxy = new ScriptedServer(async (s, _) =>
        {
            while (await ScriptedServer.ReadHeadAsync(s) is { Length: > 0 })
            {
                Interlocked.Increment(ref requests);
                await ScriptedServer.WriteAsync(s, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n");
            }
        });
        using var client = Client(proxy.Port, TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync("http://origin.example/"));
        Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, error.StatusCode);
        Assert.True(requests <= 2, $"{requests} requests: no 407 loop");
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proxy_host_that_does_not_resolve_is_a_clear_error()
    {
        var resolver = ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false, HttpProxy = $"http://user:{Password}@proxy.does-not-exist.invalid:3128" });
        using var client = new HttpClient(ProxyNetHandler.Create(resolver)) { Timeout = TimeSpan.FromSeconds(10) };
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync("http://origin.example/"));
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    internal static HttpClient Client(int proxyPort, TimeSpan timeout)
    {
        var resolver = ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false, HttpProxy = $"http://user:{Password}@127.0.0.1:{proxyPort}" });
        return new HttpClient(ProxyNetHandler.Create(resolver)) { Timeout = timeout };
    }
}

/// <summary>Counts the process's descriptors, so it runs alone: other tests' sockets would blur the count.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DescriptorCounting
{
    public const string Name = "Descriptor counting";

    /// <summary>How many descriptors the process has open now.</summary>
    public static int OpenDescriptors() => Directory.GetFiles("/proc/self/fd").Length;
}

/// <summary>A thousand failures through a dead proxy leave no socket behind.</summary>
[Collection(DescriptorCounting.Name)]
[Trait("Category", "Slow")]
public sealed class DeadProxyLeakTests
{
    [Fact]
    public async Task A_dead_proxy_fails_fast_and_a_thousand_failures_leave_no_socket_open()
    {
        int dead = Ports.Closed();

        using var client = HostileProxyTests.Client(dead, TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync("http://origin.example/"));
        int before = DescriptorCounting.OpenDescriptors();
        for (int i = 0; i < 1000; i++)
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync("http://origin.example/"));
        }

        // No garbage collection first: it would close a leaked socket and hide the leak.
        int grown = DescriptorCounting.OpenDescriptors() - before;
        Assert.True(grown < 10, $"{grown} more descriptors open after 1,000 failures");
    }
}
