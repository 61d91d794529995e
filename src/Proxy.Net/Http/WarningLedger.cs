using System.Collections.Concurrent;

namespace ProxyNet.Http;

/// <summary>
/// Warnings already given, so each is logged once per client and configuration. One per DI container (or per
/// <c>ProxyNetHandler.Create</c> pipeline), never per process: a second container warns again.
/// </summary>
internal sealed class WarningLedger
{
    private readonly ConcurrentDictionary<string, byte> _given = new(StringComparer.Ordinal);

    /// <summary>True the first time <paramref name="key"/> is seen.</summary>
    public bool First(string key) => _given.TryAdd(key, 0);
}
