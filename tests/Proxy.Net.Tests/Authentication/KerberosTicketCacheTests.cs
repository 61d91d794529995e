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

    [Fact]
    public async Task A_crafted_88_byte_cache_whose_length_points_backwards_ends_at_once()
    {
        // A principal component of length 0xFFFFFFF8 (-8 as an int) moved the old reader back into a loop forever.
        var cache = new List<byte> { 0x05, 0x04, 0x00, 0x00 };
        cache.AddRange([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, (byte)'R', 0, 0, 0, 1, (byte)'a']);
        while (cache.Count < 80)
        {
            cache.Add(0);
        }

        cache.AddRange([0xFF, 0xFF, 0xFF, 0xF8, 0, 0, 0, 0]);
        Assert.Equal(88, cache.Count);

        var state = await Task.Run(() => KerberosTicketCache.Read([.. cache], Now)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(KerberosTicketCache.TicketState.Unknown, state);
    }

    [Fact]
    public void A_cache_larger_than_the_bound_is_not_inspected() =>
        Assert.Equal(KerberosTicketCache.TicketState.Unknown, KerberosTicketCache.Read(new byte[KerberosTicketCache.MaxCacheBytes + 1], Now));

    [Fact]
    public async Task Random_and_mutated_caches_always_end_with_a_state()
    {
        byte[] valid = Cache(("krbtgt", Now.AddHours(1)), ("HTTP", Now.AddHours(1)));
        var random = new Random(88);

        await Task.Run(() =>
        {
            for (int n = 0; n < 20_000; n++)
            {
                byte[] input;
                if (n % 4 == 0)
                {
                    input = new byte[random.Next(0, 400)];
                    random.NextBytes(input);
                    if (input.Length >= 2)
                    {
                        (input[0], input[1]) = (0x05, (byte)(n % 8 == 0 ? 0x04 : 0x03));
                    }
                }
                else
                {
                    input = [.. valid];
                    for (int flips = random.Next(1, 6); flips > 0; flips--)
                    {
                        int at = random.Next(input.Length);
                        input[at] = random.Next(3) switch { 0 => 0xFF, 1 => 0x00, _ => (byte)random.Next(256) };
                    }

                    if (n % 3 == 0)
                    {
                        input = input[..random.Next(input.Length)];
                    }
                }

                var state = KerberosTicketCache.Read(input, Now);
                Assert.True(Enum.IsDefined(state), $"input {n}");
            }
        }).WaitAsync(TimeSpan.FromMinutes(2));
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
