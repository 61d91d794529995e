using System.Buffers.Binary;
using System.Text;
using ProxyNet.Authentication;

namespace ProxyNet.Tests.Authentication;

/// <summary>The MIT FILE ccache reader that lets a failed passwordless login say "expired" or "no ticket".</summary>
public sealed class KerberosTicketCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(-60, "Expired")]
    [InlineData(3600, "Valid")]
    public void Reads_the_end_time_of_the_ticket_granting_ticket(int endsInSeconds, string expected)
    {
        byte[] cache = Cache(("krbtgt", Now.AddSeconds(endsInSeconds)), ("HTTP", Now.AddHours(1)));
        Assert.Equal(expected, KerberosTicketCache.Read(cache, Now).ToString());
    }

    [Fact]
    public void A_cache_without_a_ticket_granting_ticket_has_no_ticket()
    {
        Assert.Equal(KerberosTicketCache.TicketState.Missing, KerberosTicketCache.Read(Cache(), Now));
    }

    /// <summary>A version 4 cache as kinit writes it: a configuration entry first, then the given tickets.</summary>
    private static byte[] Cache(params (string Service, DateTimeOffset End)[] tickets)
    {
        var b = new List<byte>();
        void U16(int v) => b.AddRange(BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness((ushort)v)));
        void U32(long v) => b.AddRange(BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness((uint)v)));
        void Data(string s)
        {
            U32(Encoding.UTF8.GetByteCount(s));
            b.AddRange(Encoding.UTF8.GetBytes(s));
        }

        void Principal(string realm, params string[] parts)
        {
            U32(1);
            U32(parts.Length);
            Data(realm);
            foreach (string part in parts)
            {
                Data(part);
            }
        }

        void Credential(string[] server, string realm, long end, string ticket)
        {
            Principal("R", "alice");
            Principal(realm, server);
            U16(18);
            Data("0123456789abcdef0123456789abcdef");
            U32(end - 10);
            U32(end - 10);
            U32(end);
            U32(0);
            b.Add(0);
            U32(0);
            U32(0);
            U32(0);
            Data(ticket);
            Data(string.Empty);
        }

        U16(0x0504);
        U16(12);
        b.AddRange(new byte[12]);
        Principal("R", "alice");
        Credential(["krb5_ccache_conf_data", "fast_avail", "krbtgt/R@R"], "X-CACHECONF:", 0, "yes");
        foreach (var (service, end) in tickets)
        {
            Credential([service, service == "krbtgt" ? "R" : "localhost"], "R", end.ToUnixTimeSeconds(), "ticket-bytes");
        }

        return [.. b];
    }
}
