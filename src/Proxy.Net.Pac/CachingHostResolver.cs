using System.Collections.Concurrent;
using System.Net;

namespace ProxyNet.Pac;

/// <summary>A small TTL cache in front of the resolver: a script asks for the same hosts on every call.</summary>
internal sealed class CachingHostResolver(IPacHostResolver inner, TimeProvider time, TimeSpan duration)
{
    private const int MaxEntries = 1024;
    private readonly ConcurrentDictionary<string, (IReadOnlyList<IPAddress> Addresses, DateTimeOffset Expires)> _cache = new(StringComparer.OrdinalIgnoreCase);
    private (IReadOnlyList<IPAddress> Addresses, DateTimeOffset Expires) _local;

    public IReadOnlyList<IPAddress> Resolve(string host)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(host, out var hit) && now < hit.Expires)
        {
            return hit.Addresses;
        }

        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : inner.Resolve(host);
        if (_cache.Count >= MaxEntries)
        {
            _cache.Clear();
        }

        _cache[host] = (addresses, now + duration);
        return addresses;
    }

    public IReadOnlyList<IPAddress> LocalAddresses()
    {
        var now = time.GetUtcNow();
        var local = _local;
        if (local.Addresses is null || now >= local.Expires)
        {
            local = (inner.GetLocalAddresses(), now + duration);
            _local = local;
        }

        return local.Addresses;
    }
}
