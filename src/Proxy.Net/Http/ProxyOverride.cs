namespace ProxyNet.Http;

/// <summary>
/// A route forced for one request with <see cref="ProxyRequestExtensions.BypassProxy"/> or
/// <see cref="ProxyRequestExtensions.UseProxy"/>. It wins over the client's setting, for every hop of the request.
/// </summary>
internal sealed class ProxyOverride
{
    private ProxyOverride(ProxyDecision decision) => Decision = decision;

    public static ProxyOverride Direct { get; } = new(ProxyDecision.Direct("per-request override: direct"));

    public ProxyDecision Decision { get; }

    /// <summary>Through <paramref name="proxyUrl"/>; throws <see cref="ProxyConfigurationException"/> if it is malformed.</summary>
    public static ProxyOverride Via(string proxyUrl)
    {
        var decision = Resolution.ProxyAddressParser.Decide(proxyUrl, "per-request override");
        return decision.IsError ? throw new ProxyConfigurationException(decision.Error!) : new ProxyOverride(decision);
    }

    public override string ToString() => Decision.ToString();
}
