using ProxyNet.Resolution;

namespace ProxyNet.Http;

/// <summary>
/// A route forced for one request, set with <see cref="ProxyRequestExtensions.BypassProxy"/> or
/// <see cref="ProxyRequestExtensions.UseProxy"/> (stored in <see cref="HttpRequestMessage.Options"/>). It wins over the client's setting.
/// </summary>
public sealed class ProxyOverride
{
    private ProxyOverride(ProxyDecision decision) => Decision = decision;

    /// <summary>Send the request straight to the origin.</summary>
    public static ProxyOverride Direct { get; } = new(ProxyDecision.Direct("per-request override: direct"));

    internal ProxyDecision Decision { get; }

    /// <summary>Send the request through <paramref name="proxyUrl"/>; throws <see cref="ProxyConfigurationException"/> if it is malformed.</summary>
    public static ProxyOverride Via(string proxyUrl)
    {
        ArgumentNullException.ThrowIfNull(proxyUrl);
        var decision = ProxyDecision.FromUrl(proxyUrl, "per-request override");
        return decision.IsError ? throw new ProxyConfigurationException(decision.Error!) : new ProxyOverride(decision);
    }

    /// <summary>A summary without credentials.</summary>
    public override string ToString() => Decision.ToString();
}
