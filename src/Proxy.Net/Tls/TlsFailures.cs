using System.Collections.Concurrent;

namespace ProxyNet.Tls;

/// <summary>
/// The last certificate failure per host, in words, kept until the request that hit it reads it: connection
/// attempts run apart from requests, so this is how the reason reaches the exception the caller sees. Bounded.
/// </summary>
internal static class TlsFailures
{
    private const int Capacity = 1024;
    private static readonly ConcurrentDictionary<string, string> Recent = new(StringComparer.OrdinalIgnoreCase);

    public static void Record(string host, string failure)
    {
        if (Recent.Count >= Capacity)
        {
            Recent.Clear();
        }

        Recent[host] = failure;
    }

    public static bool TryTake(string host, out string? failure) => Recent.TryRemove(host, out failure);
}
