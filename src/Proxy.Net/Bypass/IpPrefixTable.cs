namespace ProxyNet.Bypass;

/// <summary>
/// IP literals and CIDR ranges of one address family, grouped by prefix length: a lookup probes one
/// open-addressing hash table once per distinct prefix length present (at most 33 for IPv4, 129 for IPv6),
/// whatever the number of entries. Addresses are 128-bit values (hi, lo); IPv4 uses the low 32 bits.
/// </summary>
internal sealed class IpPrefixTable
{
    private readonly int _bits;
    private readonly List<(ulong Hi, ulong Lo, int Length, BypassRule Rule)> _pending = [];
    private Prefix[] _prefixes = [];
    private Slot[] _slots = [];
    private int _mask;

    public IpPrefixTable(int bits) => _bits = bits;

    public int Count => _pending.Count;

    public void Add(ulong hi, ulong lo, int length, BypassRule rule) => _pending.Add((hi, lo, length, rule));

    /// <summary>Builds the table; called once when parsing is done.</summary>
    public void Freeze()
    {
        _prefixes = [.. _pending.Select(p => p.Length).Distinct().Order().Select(length => Prefix.Of(length, _bits))];
        int size = 16;
        while (size < _pending.Count * 2)
        {
            size <<= 1;
        }

        _slots = new Slot[size];
        _mask = size - 1;
        foreach (var (hi, lo, length, rule) in _pending)
        {
            var prefix = Prefix.Of(length, _bits);
            ulong h = hi & prefix.HiMask, l = lo & prefix.LoMask;
            int slot = SlotOf(h, l, length);
            while (_slots[slot].Rules is { } rules)
            {
                if (_slots[slot].Hi == h && _slots[slot].Lo == l && _slots[slot].Length == length)
                {
                    _slots[slot].Rules = [.. rules, rule];
                    break;
                }

                slot = (slot + 1) & _mask;
            }

            if (_slots[slot].Rules is null)
            {
                _slots[slot] = new Slot { Hi = h, Lo = l, Length = length, Rules = [rule] };
            }
        }
    }

    public BypassRule? Match(ulong hi, ulong lo, int port)
    {
        BypassRule? best = null;
        foreach (var prefix in _prefixes)
        {
            ulong h = hi & prefix.HiMask, l = lo & prefix.LoMask;
            int slot = SlotOf(h, l, prefix.Length);
            while (_slots[slot].Rules is { } rules)
            {
                if (_slots[slot].Lo == l && _slots[slot].Hi == h && _slots[slot].Length == prefix.Length)
                {
                    foreach (var rule in rules)
                    {
                        if (rule.AppliesTo(port))
                        {
                            best = DomainTable.Pick(best, rule);
                            break;
                        }
                    }

                    break;
                }

                slot = (slot + 1) & _mask;
            }
        }

        return best;
    }

    private int SlotOf(ulong hi, ulong lo, int length)
    {
        ulong hash = (hi * 0x9E3779B97F4A7C15) ^ (lo * 0xC2B2AE3D27D4EB4F) ^ ((ulong)length * 0x165667B19E3779F9);
        return (int)(hash ^ (hash >> 32)) & _mask;
    }

    private readonly record struct Prefix(int Length, ulong HiMask, ulong LoMask)
    {
        public static Prefix Of(int length, int bits)
        {
            if (bits == 32)
            {
                return new Prefix(length, 0, length == 0 ? 0 : (0xFFFF_FFFFUL << (32 - length)) & 0xFFFF_FFFFUL);
            }

            return length switch
            {
                0 => new Prefix(0, 0, 0),
                <= 64 => new Prefix(length, ulong.MaxValue << (64 - length), 0),
                _ => new Prefix(length, ulong.MaxValue, length == 128 ? ulong.MaxValue : ulong.MaxValue << (128 - length)),
            };
        }
    }

    private struct Slot
    {
        public ulong Hi;
        public ulong Lo;
        public int Length;
        public BypassRule[]? Rules;
    }
}
