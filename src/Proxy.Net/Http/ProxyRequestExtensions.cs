namespace ProxyNet.Http;

/// <summary>Per-request route overrides: they win over the client's mode and the global settings.</summary>
/// <example>
/// <code>
/// using var request = new HttpRequestMessage(HttpMethod.Get, "http://intranet/").BypassProxy();
/// </code>
/// </example>
public static class ProxyRequestExtensions
{
    internal static HttpRequestOptionsKey<ProxyOverride> OverrideKey { get; } = new("ProxyNet.Override");

    /// <summary>Sends this request DIRECT, whatever the client and the environment say.</summary>
    public static HttpRequestMessage BypassProxy(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.Set(OverrideKey, ProxyOverride.Direct);
        return request;
    }

    /// <summary>
    /// Sends this request through <paramref name="proxyUrl"/>, whatever the client and the environment say; throws
    /// <see cref="ProxyConfigurationException"/> at once if the URL is malformed.
    /// </summary>
    public static HttpRequestMessage UseProxy(this HttpRequestMessage request, string proxyUrl)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(proxyUrl);
        request.Options.Set(OverrideKey, ProxyOverride.Via(proxyUrl));
        return request;
    }
}
