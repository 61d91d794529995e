using Microsoft.Extensions.DependencyInjection;
using ProxyNet.DependencyInjection;
using ProxyNet.Resolution;

namespace ProxyNet.Tests.Fakes;

/// <summary>
/// The fixture of the DI tests: a WireMock origin, the global proxy and another proxy (both recording). A test class
/// disposes it after each test, so that a proxy script's failure fails the test that ran it.
/// </summary>
internal sealed class OriginAndProxies : IAsyncDisposable
{
    /// <summary>The origin every request is for.</summary>
    public Origin Origin { get; } = new();

    /// <summary>The global proxy of <see cref="Services"/>.</summary>
    public RecordingProxy Proxy { get; } = new();

    /// <summary>A second proxy, for per-client choices.</summary>
    public RecordingProxy Other { get; } = new();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Origin.Dispose();
        await Proxy.DisposeAsync();
        await Other.DisposeAsync();
    }

    /// <summary>A provider with Proxy.Net on <see cref="Proxy"/> as the global proxy (the environment off) and the given clients.</summary>
    public ServiceProvider Services(Action<IServiceCollection> clients, Action<ProxyNetOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddProxyNet(o =>
        {
            o.UseEnvironment = false;
            o.HttpProxy = Proxy.Url;
            configure?.Invoke(o);
        });
        clients(services);
        return services.BuildServiceProvider();
    }
}
