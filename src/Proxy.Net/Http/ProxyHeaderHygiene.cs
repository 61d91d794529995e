namespace ProxyNet.Http;

/// <summary>
/// The proxy's own headers (<c>ProxyHeaders</c>) on an absolute-form request: each listed in <c>Connection</c>, so
/// hop-by-hop and removed by the proxy before it forwards the request; taken off again after the send, so a
/// redirect's next hop or a retry never carries them to another proxy or an origin.
/// </summary>
internal static class ProxyHeaderHygiene
{
    public static void Add(HttpRequestMessage request, ProxyEndpoint proxy)
    {
        foreach (var (name, value) in proxy.Headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
            request.Headers.Connection.Add(name);
        }
    }

    public static void Remove(HttpRequestMessage request, ProxyEndpoint? proxy)
    {
        if (proxy is not { Headers.Count: > 0 })
        {
            return;
        }

        foreach (var (name, _) in proxy.Headers)
        {
            request.Headers.Remove(name);
            request.Headers.Connection.Remove(name);
        }
    }
}
