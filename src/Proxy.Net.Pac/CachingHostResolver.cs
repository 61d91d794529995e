using System.Collections.Concurrent;
using System.Net;

namespace ProxyNet.Pac;

/// <summary>
/// A small TTL cache in front of the resolver: a script asks for the same hosts on every call. A lookup waits for the
/// resolver at most <see cref="PacOptions.DnsTimeout"/> and never past the call's deadline; one still running then
/// goes on in the background and fills the cache, so the next call finds the answer. Concurrent calls for one host
/// share one lookup.
/// </summary>
internal sealed class CachingHostResolver(Func<string, Task<IReadOnlyList<IPAddress>>> lookup, Func<IReadOnlyList<IPAddress>> localAddresses, TimeProvider time, TimeSpan duration, TimeSpan lookupTimeout)
{
    private const int MaxEntries = 1024;
    private readonly ConcurrentDictionary<string, (IReadOnlyList<IPAddress> Addresses, DateTimeOffset Expires)> _cache = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Task<IReadOnlyList<IPAddress>>> _running = new(StringComparer.OrdinalIgnoreCase);
    private (IReadOnlyList<IPAddress> Addresses, DateTimeOffset Expires) _local;

    /// <summary>A cache over <paramref name="resolver"/>: the machine's resolver asynchronously, any other on a pool thread.</summary>
    public static CachingHostResolver Over(IPacHostResolver? resolver, PacOptions options, TimeProvider time)
    {
        Func<string, Task<IReadOnlyList<IPAddress>>> lookup = resolver is null
            ? SystemHostResolver.ResolveAsync
            : host => Task.Run(() => resolver.Resolve(host));
        var local = resolver ?? new SystemHostResolver(options.DnsTimeout);
        return new CachingHostResolver(lookup, local.GetLocalAddresses, time, options.DnsCacheDuration, options.DnsTimeout);
    }

    public IReadOnlyList<IPAddress> Resolve(string host, CallBudget budget)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }

        var now = time.GetUtcNow();
        if (_cache.TryGetValue(host, out var hit) && now < hit.Expires)
        {
            return hit.Addresses;
        }

        budget.CountLookup(host);
        var left = budget.Remaining;
        if (left != Timeout.InfiniteTimeSpan && left <= TimeSpan.Zero)
        {
            throw budget.TimeUp(host);
        }

        var running = _running.GetOrAdd(host, Start);
        bool callBound = left != Timeout.InfiniteTimeSpan && left < lookupTimeout;
        try
        {
            // WaitAsync's timer, not a blocking wait with a timeout: that one misreads a shifted wall clock (libfaketime).
            return running.WaitAsync(callBound ? left : lookupTimeout).GetAwaiter().GetResult();
        }
        catch (TimeoutException)
        {
            // The call's own deadline came first: the call ends. The resolver's timeout came first: "not resolvable".
            return callBound ? throw budget.TimeUp(host) : [];
        }
    }

    private Task<IReadOnlyList<IPAddress>> Start(string host) =>
        lookup(host).ContinueWith(
            done =>
            {
                IReadOnlyList<IPAddress> addresses = done.IsCompletedSuccessfully ? done.Result : [];
                if (_cache.Count >= MaxEntries)
                {
                    _cache.Clear();
                }

                _cache[host] = (addresses, time.GetUtcNow() + duration);
                _running.TryRemove(host, out _);
                return addresses;
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    public IReadOnlyList<IPAddress> LocalAddresses()
    {
        var now = time.GetUtcNow();
        var local = _local;
        if (local.Addresses is null || now >= local.Expires)
        {
            local = (localAddresses(), now + duration);
            _local = local;
        }

        return local.Addresses;
    }
}
