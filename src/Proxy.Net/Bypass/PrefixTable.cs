using System.Numerics;

namespace ProxyNet.Bypass;

/// <summary>
/// IP literals and CIDR ranges grouped by prefix length: a lookup probes one hash set per distinct
/// prefix length present (at most 33 for IPv4, 129 for IPv6), whatever the number of entries.
/// </summary>
internal sealed class PrefixTable<T>
    where T : struct, IBinaryInteger<T>
{
    private readonly Dictionary<(T Network, int Length), List<BypassRule>> _networks = [];
    private int[] _lengths = [];

    public PrefixTable(int bits) => Bits = bits;

    public int Bits { get; }

    public int Count => _networks.Count;

    public void Add(T address, int length, BypassRule rule)
    {
        var key = (address & Mask(length), length);
        if (!_networks.TryGetValue(key, out var rules))
        {
            rules = [];
            _networks.Add(key, rules);
            if (Array.IndexOf(_lengths, length) < 0)
            {
                _lengths = [.. _lengths, length];
                Array.Sort(_lengths);
            }
        }

        rules.Add(rule);
    }

    public BypassRule? Match(T address, int port)
    {
        BypassRule? best = null;
        foreach (int length in _lengths)
        {
            if (_networks.TryGetValue((address & Mask(length), length), out var rules))
            {
                foreach (var rule in rules)
                {
                    if (rule.AppliesTo(port))
                    {
                        best = DomainTable.Pick(best, rule);
                    }
                }
            }
        }

        return best;
    }

    private T Mask(int length) => length == 0 ? T.Zero : T.AllBitsSet << (Bits - length);
}
