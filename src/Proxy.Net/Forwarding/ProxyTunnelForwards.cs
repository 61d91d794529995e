using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ProxyNet.Http;
using ProxyNet.Resolution;

namespace ProxyNet.Forwarding;

/// <summary>
/// The forwards an application registered with <c>services.AddProxyTunnel(name, host, port)</c>, started with the
/// host and closed when it stops: <see cref="Get"/> gives a forward's local end point for a connection string.
/// </summary>
/// <example>
/// <code>
/// services.AddProxyTunnel("db", "db.internal", 5432);
/// // later: var local = provider.GetRequiredService&lt;ProxyTunnelForwards&gt;().Get("db").LocalEndPoint;
/// </code>
/// </example>
public sealed class ProxyTunnelForwards : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ProxyTunnelListener> _started = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, ForwardRegistration> _registered;
    private readonly ProxyResolver _resolver;
    private readonly ProxyFailover _failover;
    private readonly ILogger _logger;
    private readonly object _gate = new();

    internal ProxyTunnelForwards(IEnumerable<ForwardRegistration> registrations, ProxyResolver resolver, ProxyFailover failover, ILogger<ProxyTunnelForwards> logger)
    {
        _registered = registrations.GroupBy(r => r.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        _resolver = resolver;
        _failover = failover;
        _logger = logger;
    }

    /// <summary>The forward named <paramref name="name"/>, started now if the host has not started it yet.</summary>
    /// <exception cref="KeyNotFoundException">No forward of that name was registered.</exception>
    public ProxyTunnelListener Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_started.TryGetValue(name, out var listener))
        {
            return listener;
        }

        if (!_registered.TryGetValue(name, out var registration))
        {
            throw new KeyNotFoundException($"no proxy tunnel named '{name}' is registered (services.AddProxyTunnel(\"{name}\", host, port))");
        }

        lock (_gate)
        {
            return _started.GetOrAdd(name, _ => ProxyTunnelListener.Start(new ClientRoute(_resolver, new ProxyClientOptions(), _failover, name), registration.Host, registration.Port, registration.Options(), _logger));
        }
    }

    internal void StartAll()
    {
        foreach (string name in _registered.Keys)
        {
            Get(name);
        }
    }

    /// <summary>Closes every started forward and the connections it carries.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var listener in _started.Values)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }

        _started.Clear();
    }

    /// <summary>Starts the forwards with the host and stops them with it.</summary>
    internal sealed class Lifetime(ProxyTunnelForwards forwards) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            forwards.StartAll();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => forwards.DisposeAsync().AsTask();
    }
}

/// <summary>One <c>AddProxyTunnel</c> call.</summary>
internal sealed record ForwardRegistration(string Name, string Host, int Port, Action<ProxyTunnelListenerOptions>? Configure)
{
    public ProxyTunnelListenerOptions Options()
    {
        var options = new ProxyTunnelListenerOptions();
        Configure?.Invoke(options);
        return options;
    }
}
