using System.Numerics;
using System.Runtime.InteropServices;

namespace ProxyNet.Bypass;

/// <summary>
/// A hash table of domain names looked up by every dot-suffix of a host without allocating.
/// A suffix's hash combines the hash of each label, taken from the right, so one pass over the labels
/// gives the hash of every parent domain; a label's hash reads every character (four at a time), so the cost grows
/// with the length of the host, never with the number of entries, also when the names follow a pattern.
/// </summary>
internal sealed class DomainTable
{
    private const ulong Seed = 0x2545F4914F6CDD1D;
    private readonly Bucket[] _buckets;
    private readonly int _mask;

    public DomainTable(IReadOnlyDictionary<string, DomainRules> domains)
    {
        // Every parent of a listed name is a node too (without rules): a walk from the right stops at the
        // first suffix that is not a node, so most misses cost one probe.
        var nodes = new Dictionary<string, DomainRules>(domains, StringComparer.OrdinalIgnoreCase);
        foreach (string name in domains.Keys)
        {
            for (int dot = name.IndexOf('.'); dot >= 0; dot = name.IndexOf('.', dot + 1))
            {
                nodes.TryAdd(name[(dot + 1)..], DomainRules.None);
            }
        }

        int size = 16;
        while (size < nodes.Count * 2)
        {
            size <<= 1;
        }

        _buckets = new Bucket[size];
        _mask = size - 1;
        foreach (var (name, rules) in nodes)
        {
            ulong hash = HashOf(name);
            int slot = SlotOf(hash);
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
        ulong hash = Seed;
        int end = host.Length;
        while (true)
        {
            int dot = host[..end].LastIndexOf('.');

            hash = Combine(hash, LabelHash(host[(dot + 1)..end]));
            var node = Find(host[(dot + 1)..], hash);
            if (node is null)
            {
                return best;
            }

            if (dot < 0)
            {
                return Pick(best, node.MatchSelf(port));
            }

            // host[(dot + 1)..] is a proper parent domain of host.
            best = Pick(best, node.MatchSubdomain(port));
            end = dot;
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

    private static ulong HashOf(string name)
    {
        ulong hash = Seed;
        int end = name.Length;
        while (true)
        {
            int dot = name.AsSpan(0, end).LastIndexOf('.');
            hash = Combine(hash, LabelHash(name.AsSpan(dot + 1, end - dot - 1)));
            if (dot < 0)
            {
                return hash;
            }

            end = dot;
        }
    }

    private static ulong Combine(ulong parent, ulong label) => BitOperations.RotateLeft(parent * 0x9E3779B97F4A7C15, 27) ^ label;

    /// <summary>
    /// Every character of the label, four at a time, ASCII-case-folded (| 0x20; collisions are settled by comparing
    /// names). Numbered names such as app-00001-prod … app-19999-prod differ only in the middle, so a hash of the
    /// ends alone would put them all in one probe chain.
    /// </summary>
    internal static ulong LabelHash(ReadOnlySpan<char> label)
    {
        const ulong Fold = 0x0020_0020_0020_0020;
        var bytes = MemoryMarshal.AsBytes(label);
        ulong hash = (ulong)label.Length * 0x9E3779B97F4A7C15;
        int i = 0;
        for (; i + 8 <= bytes.Length; i += 8)
        {
            ulong chunk = MemoryMarshal.Read<ulong>(bytes[i..]) | Fold;
            hash = BitOperations.RotateLeft((hash ^ chunk) * 0xC2B2AE3D27D4EB4F, 31);
        }

        if (i < bytes.Length)
        {
            ulong tail = 0;
            foreach (char c in label[(i / 2)..])
            {
                tail = (tail << 16) | (uint)(c | 0x20);
            }

            hash = BitOperations.RotateLeft((hash ^ tail) * 0x165667B19E3779F9, 31);
        }

        return hash ^ (hash >> 29);
    }

    /// <summary>A 64-bit finalizer (murmur3's fmix64): linear probing needs well-mixed low bits.</summary>
    private int SlotOf(ulong hash)
    {
        hash ^= hash >> 33;
        hash *= 0xFF51AFD7ED558CCD;
        hash ^= hash >> 33;
        return (int)hash & _mask;
    }

    private DomainRules? Find(ReadOnlySpan<char> name, ulong hash)
    {
        int slot = SlotOf(hash);
        while (true)
        {
            ref readonly Bucket bucket = ref _buckets[slot];
            if (bucket.Key is null)
            {
                return null;
            }

            if (bucket.Hash == hash && (name.SequenceEqual(bucket.Key) || name.Equals(bucket.Key, StringComparison.OrdinalIgnoreCase)))
            {
                return bucket.Rules;
            }

            slot = (slot + 1) & _mask;
        }
    }

    private readonly record struct Bucket(string? Key, ulong Hash, DomainRules? Rules);
}

/// <summary>The rules attached to one domain name: for the name itself and for its subdomains.</summary>
internal sealed class DomainRules
{
    /// <summary>A parent of listed names that is not listed itself.</summary>
    public static DomainRules None { get; } = new();

    private BypassRule[] _self = [];
    private BypassRule[] _subdomains = [];

    public void Add(BypassRule rule, bool self, bool subdomains)
    {
        if (self)
        {
            _self = [.. _self, rule];
        }

        if (subdomains)
        {
            _subdomains = [.. _subdomains, rule];
        }
    }

    public BypassRule? MatchSelf(int port) => First(_self, port);

    public BypassRule? MatchSubdomain(int port) => First(_subdomains, port);

    /// <summary>Rules are added in written order, so the first that applies is the earliest.</summary>
    private static BypassRule? First(BypassRule[] rules, int port)
    {
        foreach (var rule in rules)
        {
            if (rule.AppliesTo(port))
            {
                return rule;
            }
        }

        return null;
    }
}
