namespace ProxyNet.Bypass;

/// <summary>
/// A hash table of domain names looked up by every dot-suffix of a host without allocating.
/// Hashes run from the last character backwards, so the hash of each suffix extends the previous one:
/// a host of n characters costs one pass of n characters plus one probe per label.
/// </summary>
internal sealed class DomainTable
{
    private readonly Bucket[] _buckets;
    private readonly int _mask;

    public DomainTable(IReadOnlyDictionary<string, DomainRules> domains)
    {
        int size = 16;
        while (size < domains.Count * 2)
        {
            size <<= 1;
        }

        _buckets = new Bucket[size];
        _mask = size - 1;
        foreach (var (name, rules) in domains)
        {
            uint hash = HashReverse(name);
            int slot = (int)(hash & (uint)_mask);
            while (_buckets[slot].Key is not null)
            {
                slot = (slot + 1) & _mask;
            }

            _buckets[slot] = new Bucket(name, hash, rules);
        }

        Count = domains.Count;
    }

    public int Count { get; }

    /// <summary>Finds the lowest-index rule matching <paramref name="host"/> or a parent domain of it on <paramref name="port"/>.</summary>
    public BypassRule? Match(ReadOnlySpan<char> host, int port)
    {
        if (Count == 0 || host.IsEmpty)
        {
            return null;
        }

        BypassRule? best = null;
        uint hash = Seed;
        for (int i = host.Length - 1; i >= 0; i--)
        {
            char c = host[i];
            if (c == '.')
            {
                // host[(i + 1)..] is a proper parent domain of host.
                best = Pick(best, Find(host[(i + 1)..], hash)?.MatchSubdomain(port));
            }

            hash = Step(hash, c);
        }

        return Pick(best, Find(host, hash)?.MatchSelf(port));
    }

    private DomainRules? Find(ReadOnlySpan<char> name, uint hash)
    {
        int slot = (int)(hash & (uint)_mask);
        while (true)
        {
            ref readonly Bucket bucket = ref _buckets[slot];
            if (bucket.Key is null)
            {
                return null;
            }

            if (bucket.Hash == hash && name.Equals(bucket.Key, StringComparison.OrdinalIgnoreCase))
            {
                return bucket.Rules;
            }

            slot = (slot + 1) & _mask;
        }
    }

    internal static BypassRule? Pick(BypassRule? a, BypassRule? b)
    {
        if (a is null)
        {
            return b;
        }

        return b is null || a.Index <= b.Index ? a : b;
    }

    private const uint Seed = 2166136261;

    private static uint Step(uint hash, char c)
    {
        // ASCII case folding: keys are lower case, hosts from Uri are too, but callers may pass any case.
        if ((uint)(c - 'A') <= 'Z' - 'A')
        {
            c = (char)(c | 0x20);
        }

        return (hash ^ c) * 16777619;
    }

    private static uint HashReverse(string name)
    {
        uint hash = Seed;
        for (int i = name.Length - 1; i >= 0; i--)
        {
            hash = Step(hash, name[i]);
        }

        return hash;
    }

    private readonly record struct Bucket(string? Key, uint Hash, DomainRules? Rules);
}

/// <summary>The rules attached to one domain name: for the name itself and for its subdomains.</summary>
internal sealed class DomainRules
{
    private readonly List<(BypassRule Rule, bool Self, bool Subdomains)> _rules = [];

    public void Add(BypassRule rule, bool self, bool subdomains) => _rules.Add((rule, self, subdomains));

    public BypassRule? MatchSelf(int port)
    {
        BypassRule? best = null;
        foreach (var (rule, self, _) in _rules)
        {
            if (self && rule.AppliesTo(port))
            {
                best = DomainTable.Pick(best, rule);
            }
        }

        return best;
    }

    public BypassRule? MatchSubdomain(int port)
    {
        BypassRule? best = null;
        foreach (var (rule, _, subdomains) in _rules)
        {
            if (subdomains && rule.AppliesTo(port))
            {
                best = DomainTable.Pick(best, rule);
            }
        }

        return best;
    }
}
