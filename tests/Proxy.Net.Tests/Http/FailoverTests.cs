using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using ProxyNet.Http;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.Tests.Http;

/// <summary>Several proxies per scheme: the first dead, the second answers; one warning; the breaker stops trying the dead one.</summary>
public sealed class FailoverTests : IAsyncLifetime
{
    private readonly Origin _origin = new();
    private readonly RecordingProxy _second = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _origin.Dispose();
        await _second.DisposeAsync();
    }

    [Fact]
    public async Task Requests_fail_over_to_the_second_proxy_with_one_warning_and_the_breaker_skips_the_dead_one()
    {
        int dead = Ports.Closed();
        var logs = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var resolver = ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false, HttpProxy = $"http://127.0.0.1:{dead}, {_second.Url}" });
        using var client = new HttpClient(ProxyNetHandler.Create(resolver, null, factory.CreateLogger("ProxyNet")));
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal("hello from origin", await client.GetStringAsync($"{_origin.IpUrl}/hello-{i}"));
        }

        Assert.Equal(10, _second.Requests.Count);
        Assert.Single(logs.Lines, l => l.Contains("ProxyNet[10]", StringComparison.Ordinal) && l.Contains($"127.0.0.1:{dead}", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains($"Proxy http://127.0.0.1:{dead} skipped: its circuit breaker is open", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_every_proxy_is_down_the_error_names_them_all_and_never_goes_direct()
    {
        int a = Ports.Closed(), b = Ports.Closed();
        var resolver = ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false, HttpProxy = $"http://127.0.0.1:{a},http://127.0.0.1:{b}" });
        using var client = new HttpClient(ProxyNetHandler.Create(resolver));
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync($"{_origin.IpUrl}/hello"));
        Assert.Contains($"tried http://127.0.0.1:{a}, http://127.0.0.1:{b}", error.Message, StringComparison.Ordinal);
        Assert.Empty(_origin.Server.LogEntries);
    }

    [Fact]
    public void Lists_are_for_options_only_environment_values_stay_single()
    {
        var decision = ProxySettings.Compile(null, Resolution.Env.Parse("HTTP_PROXY=http://a:1,http://b:2")).Resolve(new Uri("http://example.com/"));
        Assert.True(decision.IsError);
    }
}
