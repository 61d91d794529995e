using ProxyNet.Diagnostics;

namespace ProxyNet.Http;

/// <summary>The egress policy (<c>Proxy:AllowedDirect</c>) judging one DIRECT candidate: the same words for every path that connects.</summary>
internal static class EgressPolicy
{
    /// <summary>The refusal of a DIRECT connection to <paramref name="uri"/>, or null when the policy allows it (or there is none).</summary>
    public static ProxyEgressRefusedException? Refusal(RoutePlan plan, Uri uri, ProxyDecision decision)
    {
        if (plan.Egress is not { } egress || egress.Match(uri) is not null)
        {
            return null;
        }

        ProxyNetTelemetry.CountRequest("refused", uri.Scheme);
        return new ProxyEgressRefusedException(
            $"Egress policy (Proxy:AllowedDirect) refuses a DIRECT connection to {uri.IdnHost}:{uri.Port} ({decision.Reason}): no allowed entry matches it; send it through a proxy or add it to Proxy:AllowedDirect");
    }
}
