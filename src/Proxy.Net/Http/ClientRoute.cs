using ProxyNet.Resolution;

namespace ProxyNet.Http;

/// <summary>How one client decides a route: a per-request override, else its own mode, else the resolver.</summary>
internal sealed class ClientRoute
{
    private readonly ProxyResolver _resolver;
    private readonly ProxyDecision? _fixed;
    private readonly Tls.TransportSettings? _transport;

    public ClientRoute(ProxyResolver resolver, ProxyClientOptions client, ProxyFailover failover, string name = "default")
    {
        _resolver = resolver;
        Failover = failover;
        Options = client;
        Name = name;
        _fixed = client.Mode switch
        {
            ProxyClientMode.Direct => ProxyDecision.Direct("client bypasses the global proxy"),
            ProxyClientMode.Proxy => ClientProxy(client.ProxyUrl),
            _ => null,
        };
        try
        {
            _transport = client.Tls is null ? null : Tls.TransportSettings.From(client.Tls, Environment.GetEnvironmentVariable);
        }
        catch (ProxyConfigurationException e)
        {
            // Broken trust material fails every request of this client with its message.
            _fixed = ProxyDecision.Failed($"client '{name}': {e.Message}");
        }
    }

    public ProxyClientOptions Options { get; }

    public string Name { get; }

    /// <summary>The proxies' breakers: one set per DI container (or per <c>ProxyNetHandler.Create</c> pipeline).</summary>
    public ProxyFailover Failover { get; }

    /// <summary>This client's own TLS settings, or null when it uses the global ones.</summary>
    public Tls.TransportSettings? OwnTransport => _transport;

    /// <summary>
    /// The route of one hop, decided once from one snapshot of the configuration: the decision, the TLS settings and
    /// the egress policy always belong together, whatever a reload does meanwhile.
    /// </summary>
    public RoutePlan Plan(Uri uri, ProxyDecision? overridden)
    {
        var settings = _resolver.Settings;
        var decision = overridden ?? _fixed ?? settings.Resolve(uri, Options.UseGrpcProxy);
        return new RoutePlan(decision, _transport ?? settings.Transport, settings.Egress);
    }

    private static ProxyDecision ClientProxy(string? url) => string.IsNullOrWhiteSpace(url)
        ? ProxyDecision.Failed("client proxy: ProxyClientOptions.ProxyUrl is empty")
        : ProxyAddressParser.Decide(url, "client proxy");
}

/// <summary>One hop's route: where it goes, with which TLS settings (null: the pool's default), under which egress policy.</summary>
internal readonly record struct RoutePlan(ProxyDecision Decision, Tls.TransportSettings? Transport, Bypass.BypassList? Egress);
