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
            return File.Exists(path) ? Read(File.ReadAllBytes(path), now) : TicketState.Missing;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException or FormatException)
        {
            return TicketState.Unknown;
        }
    }

    /// <summary>Parses the cache (format 0x0503/0x0504, big-endian): Valid when any krbtgt ticket ends after <paramref name="now"/>.</summary>
    internal static TicketState Read(ReadOnlySpan<byte> data, DateTimeOffset now)
    {
        int at = 0;
        ushort version = U16(data, ref at);
        if (version is not (0x0503 or 0x0504))
        {
            return TicketState.Unknown;
        }

        if (version == 0x0504)
        {
            int headerLength = U16(data, ref at);
            at += headerLength;
        }

        SkipPrincipal(data, ref at);
        bool any = false;
        while (at < data.Length)
        {
            SkipPrincipal(data, ref at);
            string server = ReadPrincipal(data, ref at);
            at += 2;
            SkipCounted(data, ref at);
            at += 8;
            uint end = U32(data, ref at);
            at += 4 + 1 + 4;
            for (uint n = U32(data, ref at); n > 0; n--)
            {
                at += 2;
                SkipCounted(data, ref at);
            }

            for (uint n = U32(data, ref at); n > 0; n--)
            {
                at += 2;
                SkipCounted(data, ref at);
            }

            SkipCounted(data, ref at);
            SkipCounted(data, ref at);
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

    private static void SkipPrincipal(ReadOnlySpan<byte> data, ref int at) => ReadPrincipal(data, ref at);

    private static string ReadPrincipal(ReadOnlySpan<byte> data, ref int at)
    {
        at += 4;
        uint components = U32(data, ref at);
        SkipCounted(data, ref at);
        var parts = new List<string>();
        for (uint i = 0; i < components; i++)
        {
            int length = (int)U32(data, ref at);
            parts.Add(System.Text.Encoding.UTF8.GetString(data.Slice(at, length)));
            at += length;
        }

        return string.Join('/', parts);
    }

    /// <summary>Skips a 32-bit length and that many bytes. (Not "at += U32(…, ref at)": C# reads "at" before the call moves it.)</summary>
    private static void SkipCounted(ReadOnlySpan<byte> data, ref int at)
    {
        int length = (int)U32(data, ref at);
        at += length;
    }

    private static ushort U16(ReadOnlySpan<byte> data, ref int at)
    {
        ushort value = BinaryPrimitives.ReadUInt16BigEndian(data[at..]);
        at += 2;
        return value;
    }

    private static uint U32(ReadOnlySpan<byte> data, ref int at)
    {
        uint value = BinaryPrimitives.ReadUInt32BigEndian(data[at..]);
        at += 4;
        return value;
    }

    private static string CurrentUid()
    {
        // /proc/self/status: "Uid:\treal\teffective…"
        string? line = File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal)) : null;
        return line?.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) ?? "0";
    }
}
