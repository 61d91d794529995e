using System.Buffers.Binary;

namespace ProxyNet.Authentication;

/// <summary>
/// Reads the end times of the ticket-granting tickets in an MIT <c>FILE:</c> credential cache, so a failed
/// passwordless login can say "no ticket" or "expired" where GSSAPI only says "failure". Other cache types
/// (KEYRING, KCM, Windows) and anything unreadable give <see cref="TicketState.Unknown"/>.
/// </summary>
internal static class KerberosTicketCache
{
    public enum TicketState
    {
        Unknown,
        Missing,
        Expired,
        Valid,
    }

    public static TicketState Inspect(DateTimeOffset now)
    {
        string? name = Environment.GetEnvironmentVariable("KRB5CCNAME");
        if (name is null && OperatingSystem.IsLinux())
        {
            name = $"FILE:/tmp/krb5cc_{Environment.GetEnvironmentVariable("UID") ?? CurrentUid()}";
        }

        if (name is null || (name.Contains(':', StringComparison.Ordinal) && !name.StartsWith("FILE:", StringComparison.Ordinal)))
        {
            return TicketState.Unknown;
        }

        string path = name.StartsWith("FILE:", StringComparison.Ordinal) ? name[5..] : name;
        try
        {
            if (!File.Exists(path))
            {
                return TicketState.Missing;
            }

            return new FileInfo(path).Length > MaxCacheBytes ? TicketState.Unknown : Read(File.ReadAllBytes(path), now);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException or FormatException)
        {
            return TicketState.Unknown;
        }
    }

    /// <summary>The largest cache read: a real one holds a few tickets of a few KiB; a larger file is not inspected.</summary>
    internal const int MaxCacheBytes = 1024 * 1024;

    /// <summary>
    /// Parses the cache (format 0x0503/0x0504, big-endian): Valid when any krbtgt ticket ends after <paramref name="now"/>.
    /// Bounded for a crafted file (the default path is under world-writable /tmp): every length and count is checked
    /// against the bytes left before it is used, the reader only moves forward, and anything inconsistent is Unknown.
    /// </summary>
    internal static TicketState Read(ReadOnlySpan<byte> data, DateTimeOffset now)
    {
        if (data.Length > MaxCacheBytes)
        {
            return TicketState.Unknown;
        }

        var reader = new Reader(data);
        try
        {
            ushort version = reader.U16();
            if (version is not (0x0503 or 0x0504))
            {
                return TicketState.Unknown;
            }

            if (version == 0x0504)
            {
                reader.Skip(reader.U16());
            }

            reader.Principal();
            bool any = false;
            while (!reader.AtEnd)
            {
                reader.Principal();
                string server = reader.Principal();
                reader.Skip(2);
                reader.Counted();
                reader.Skip(8);
                uint end = reader.U32();
                reader.Skip(4 + 1 + 4);
                for (uint n = reader.Count(6); n > 0; n--)
                {
                    reader.Skip(2);
                    reader.Counted();
                }

                for (uint n = reader.Count(6); n > 0; n--)
                {
                    reader.Skip(2);
                    reader.Counted();
                }

                reader.Counted();
                reader.Counted();
                if (server.StartsWith("krbtgt/", StringComparison.Ordinal))
                {
                    any = true;
                    if (DateTimeOffset.FromUnixTimeSeconds(end) > now)
                    {
                        return TicketState.Valid;
                    }
                }
            }

            return any ? TicketState.Expired : TicketState.Missing;
        }
        catch (FormatException)
        {
            return TicketState.Unknown;
        }
    }

    /// <summary>A forward-only reader whose every step fits in what is left, or throws <see cref="FormatException"/>.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _at;

        public readonly bool AtEnd => _at >= _data.Length;

        private readonly int Left => _data.Length - _at;

        public void Skip(uint count)
        {
            if (count > (uint)Left)
            {
                throw new FormatException("the cache ends inside a field");
            }

            _at += (int)count;
        }

        public ushort U16()
        {
            var bytes = Take(2);
            return BinaryPrimitives.ReadUInt16BigEndian(bytes);
        }

        public uint U32()
        {
            var bytes = Take(4);
            return BinaryPrimitives.ReadUInt32BigEndian(bytes);
        }

        /// <summary>A count of items each at least <paramref name="minimumItemBytes"/> long: more than could fit is malformed.</summary>
        public uint Count(int minimumItemBytes)
        {
            uint count = U32();
            return count <= (uint)(Left / minimumItemBytes) ? count : throw new FormatException("a count larger than the cache");
        }

        /// <summary>Skips a 32-bit length and that many bytes.</summary>
        public void Counted() => Skip(U32());

        /// <summary>A principal: name type, component count, realm, components; returned as "a/b" (realm left out).</summary>
        public string Principal()
        {
            Skip(4);
            uint components = Count(4);
            Counted();
            var parts = new List<string>((int)Math.Min(components, 16));
            for (uint i = 0; i < components; i++)
            {
                uint length = U32();
                parts.Add(System.Text.Encoding.UTF8.GetString(Take(length)));
            }

            return string.Join('/', parts);
        }

        private ReadOnlySpan<byte> Take(uint count)
        {
            int start = _at;
            Skip(count);
            return _data.Slice(start, (int)count);
        }
    }

    private static string CurrentUid()
    {
        // /proc/self/status: "Uid:\treal\teffective…"
        string? line = File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal)) : null;
        return line?.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) ?? "0";
    }
}
