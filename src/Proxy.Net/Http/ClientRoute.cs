using ProxyNet.DependencyInjection;
using ProxyNet.Resolution;

namespace ProxyNet.Http;

/// <summary>How one client decides a route without a per-request override: its own mode, else the resolver.</summary>
internal sealed class ClientRoute
{
    private readonly ProxyResolver _resolver;
    private readonly ProxyDecision? _fixed;
    private readonly Tls.TransportSettings? _transport;

    public ClientRoute(ProxyResolver resolver, ProxyClientOptions client, string name = "default")
    {
        _resolver = resolver;
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

    /// <summary>The egress policy (allowed DIRECT destinations), or null when DIRECT is unrestricted.</summary>
    public Bypass.BypassList? Egress => _resolver.Settings.Egress;

    /// <summary>This client's TLS settings, else the global ones, else null (the pool's default).</summary>
    public Tls.TransportSettings? Transport => _transport ?? _resolver.Settings.Transport;

    public ProxyDecision Decide(Uri uri) => _fixed ?? (Options.UseGrpcProxy ? _resolver.ResolveGrpc(uri) : _resolver.Resolve(uri));

    private static ProxyDecision ClientProxy(string? url) => string.IsNullOrWhiteSpace(url)
        ? ProxyDecision.Failed("client proxy: ProxyClientOptions.ProxyUrl is empty")
        : ProxyDecision.FromUrl(url, "client proxy");
}
