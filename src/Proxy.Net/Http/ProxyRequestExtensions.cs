namespace ProxyNet.Http;

/// <summary>Per-request route overrides, carried in <see cref="HttpRequestMessage.Options"/>.</summary>
/// <example>
/// <code>
/// using var request = new HttpRequestMessage(HttpMethod.Get, "http://intranet/").BypassProxy();
/// </code>
/// </example>
public static class ProxyRequestExtensions
{
    /// <summary>The options key that holds a request's <see cref="ProxyOverride"/>.</summary>
    public static HttpRequestOptionsKey<ProxyOverride> OverrideKey { get; } = new("ProxyNet.Override");

    internal static HttpRequestOptionsKey<Resolution.ProxyDecision> DecisionKey { get; } = new("ProxyNet.Decision");

    /// <summary>Sends this request DIRECT, whatever the client and the environment say.</summary>
    public static HttpRequestMessage BypassProxy(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.Set(OverrideKey, ProxyOverride.Direct);
        return request;
    }

    /// <summary>Sends this request through <paramref name="proxyUrl"/>, whatever the client and the environment say.</summary>
    public static HttpRequestMessage UseProxy(this HttpRequestMessage request, string proxyUrl)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.Set(OverrideKey, ProxyOverride.Via(proxyUrl));
        return request;
    }
}
