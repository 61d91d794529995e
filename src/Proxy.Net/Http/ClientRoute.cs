using ProxyNet.DependencyInjection;
using ProxyNet.Resolution;

namespace ProxyNet.Http;

/// <summary>How one client decides a route without a per-request override: its own mode, else the resolver.</summary>
internal sealed class ClientRoute
{
    private readonly ProxyResolver _resolver;
    private readonly ProxyDecision? _fixed;

    public ClientRoute(ProxyResolver resolver, ProxyClientOptions client)
    {
        _resolver = resolver;
        Options = client;
        _fixed = client.Mode switch
        {
            ProxyClientMode.Direct => ProxyDecision.Direct("client bypasses the global proxy"),
            ProxyClientMode.Proxy => ClientProxy(client.ProxyUrl),
            _ => null,
        };
    }

    public ProxyClientOptions Options { get; }

    public ProxyDecision Decide(Uri uri) => _fixed ?? _resolver.Resolve(uri);

    private static ProxyDecision ClientProxy(string? url)
    {
        const string Source = "client proxy";
        if (string.IsNullOrWhiteSpace(url))
        {
            return ProxyDecision.Failed($"{Source}: ProxyClientOptions.ProxyUrl is empty");
        }

        return ProxyAddressParser.TryParse(url, Source, out var endpoint, out string? error)
            ? ProxyDecision.Via(endpoint!, Source)
            : ProxyDecision.Failed(error!);
    }
}
