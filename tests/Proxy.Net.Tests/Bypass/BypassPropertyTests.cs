using System.Net;
using System.Net.Sockets;
using System.Numerics;
using ProxyNet.Bypass;

namespace ProxyNet.Tests.Bypass;

/// <summary>
/// The compiled matcher (domain table, IPv4/IPv6 prefix tables) against a plain linear scan of the same entries, over
/// random lists and hosts: every IPv4 last octet, IPv6 prefix lengths 1 to 128, ports, subdomains, near misses. The
/// first written matching entry must be the one reported, as the scan finds it.
/// </summary>
public sealed class BypassPropertyTests
{
    private static readonly string[] Labels = ["corp", "example", "internal", "app", "a", "b", "svc", "k8s", "xn--bcher-kva", "dev"];
    private static readonly int[] Ports = [0, 0, 0, 80, 443, 8080];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void The_compiled_matcher_agrees_with_a_linear_scan(int seed)
    {
        var random = new Random(seed);
        for (int list = 0; list < 60; list++)
        {
            var entries = Enumerable.Range(0, random.Next(1, 25)).Select(_ => Entry(random)).ToList();
            var compiled = BypassList.Parse(entries, "NO_PROXY", null);
            var parsed = entries.Select(e => (Entry: e, Ok: BypassEntryParser.TryParse(e, out var p, out _), Parsed: p)).Where(e => e.Ok).ToList();
            for (int probe = 0; probe < 150; probe++)
            {
                var uri = new Uri($"{(random.Next(2) == 0 ? "http" : "https")}://{Host(random, entries)}:{Ports[random.Next(1, Ports.Length)]}/");
                Assert.True(HostNames.TryGetIdnHost(uri, out string host));
                string? expected = parsed.FirstOrDefault(e => Matches(e.Parsed, host, uri.Port)).Entry;
                string? actual = compiled.Match(host, uri.Port)?.Entry;
                Assert.True(expected == actual, $"seed {seed}: [{string.Join(", ", entries)}] {uri}: scan says {expected ?? "none"}, compiled says {actual ?? "none"}");
            }
        }
    }

    [Fact]
    public void Every_IPv4_last_octet_and_every_prefix_length_agree()
    {
        for (int length = 0; length <= 32; length++)
        {
            string entry = $"10.20.30.{(length >= 24 ? 128 : 0)}/{length}";
            if (!BypassEntryParser.TryParse(entry, out var parsed, out _))
            {
                continue;
            }

            var compiled = BypassList.Parse([entry], "NO_PROXY", null);
            for (int octet = 0; octet < 256; octet++)
            {
                string host = $"10.20.30.{octet}";
                Assert.True(Matches(parsed, host, 80) == (compiled.Match(host, 80) is not null), $"{entry} vs {host}");
            }
        }
    }

    [Fact]
    public void Every_IPv6_prefix_length_from_1_to_128_agrees()
    {
        var random = new Random(7);
        for (int length = 1; length <= 128; length++)
        {
            string entry = $"fd12:3456:789a:1::8000/{length}";
            Assert.True(BypassEntryParser.TryParse(entry, out var parsed, out string? problem), problem);
            var compiled = BypassList.Parse([entry], "NO_PROXY", null);
            foreach (int bit in new[] { length - 1, Math.Min(127, length), Math.Min(127, length + 1), random.Next(0, 128) })
            {
                var address = Flip(IPAddress.Parse("fd12:3456:789a:1::8000"), bit);
                string host = address.ToString();
                Assert.True(Matches(parsed, host, 443) == (compiled.Match(host, 443) is not null), $"{entry} vs {host} (bit {bit})");
            }
        }
    }

    /// <summary>The reference: one entry against one canonical host and port, as section 3 of the semantics reads.</summary>
    private static bool Matches(ParsedEntry entry, string host, int port)
    {
        if (entry.Port != 0 && entry.Port != port)
        {
            return false;
        }

        string bare = host.TrimStart('[').TrimEnd(']');
        switch (entry.Kind)
        {
            case BypassEntryKind.All:
                return true;
            case BypassEntryKind.Domain:
                return bare.Equals(entry.Domain, StringComparison.OrdinalIgnoreCase) || bare.EndsWith("." + entry.Domain, StringComparison.OrdinalIgnoreCase);
            case BypassEntryKind.Subdomains:
                return bare.EndsWith("." + entry.Domain, StringComparison.OrdinalIgnoreCase);
        }

        if (!IPAddress.TryParse(bare, out var address) || bare.Count(c => c == '.') is not (0 or 3))
        {
            return false;
        }

        if (entry.Kind == BypassEntryKind.IPv4)
        {
            if (address.IsIPv4MappedToIPv6)
            {
                address = address.MapToIPv4();
            }

            return address.AddressFamily == AddressFamily.InterNetwork
                && SamePrefix(new BigInteger(address.GetAddressBytes(), isUnsigned: true, isBigEndian: true), (BigInteger)entry.Address, entry.PrefixLength, 32);
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6
            && SamePrefix(new BigInteger(address.GetAddressBytes(), isUnsigned: true, isBigEndian: true), (BigInteger)entry.Address, entry.PrefixLength, 128);
    }

    private static bool SamePrefix(BigInteger a, BigInteger b, int length, int bits) =>
        length == 0 || (a >> (bits - length)) == (b >> (bits - length));

    private static IPAddress Flip(IPAddress address, int bit)
    {
        byte[] bytes = address.GetAddressBytes();
        bytes[bit / 8] ^= (byte)(0x80 >> (bit % 8));
        return new IPAddress(bytes);
    }

    private static string Entry(Random random)
    {
        int port = Ports[random.Next(Ports.Length)];
        string suffix = port == 0 ? string.Empty : $":{port}";
        return random.Next(9) switch
        {
            0 => Name(random) + suffix,
            1 => "." + Name(random) + suffix,
            2 => "*." + Name(random) + suffix,
            3 => $"10.{random.Next(3)}.{random.Next(3)}.{random.Next(256)}" + suffix,
            4 => $"10.{random.Next(3)}.{random.Next(256)}.0/{random.Next(8, 33)}",
            5 => $"fd00:{random.Next(3):x}::{random.Next(65536):x}/{random.Next(1, 129)}",
            6 => port == 0 ? $"fd00:{random.Next(3):x}::{random.Next(4):x}" : $"[fd00:{random.Next(3):x}::{random.Next(4):x}]{suffix}",
            7 => Name(random).ToUpperInvariant() + ".",
            _ => random.Next(30) == 0 ? "*" : Name(random),
        };
    }

    private static string Name(Random random) =>
        string.Join('.', Enumerable.Range(0, random.Next(1, 4)).Select(_ => Labels[random.Next(Labels.Length)]));

    /// <summary>Hosts near the entries: the entries' own names with extra labels, near-miss names, addresses in and around the ranges.</summary>
    private static string Host(Random random, List<string> entries)
    {
        string entry = entries[random.Next(entries.Count)].TrimStart('*', '.').Split('/')[0].TrimEnd('.');
        if (entry.StartsWith('['))
        {
            entry = entry[1..entry.IndexOf(']')];
        }
        else if (entry.Count(c => c == ':') == 1)
        {
            entry = entry[..entry.IndexOf(':')];
        }

        return random.Next(6) switch
        {
            0 when !entry.Contains(':') && entry.Length > 0 && !char.IsDigit(entry[^1]) => $"{Labels[random.Next(Labels.Length)]}.{entry}",
            1 when !entry.Contains(':') && entry.Length > 0 && !char.IsDigit(entry[^1]) => $"x{entry}",
            2 => $"10.{random.Next(3)}.{random.Next(3)}.{random.Next(256)}",
            3 => $"[fd00:{random.Next(3):x}::{random.Next(65536):x}]",
            4 => $"[::ffff:10.{random.Next(3)}.{random.Next(3)}.{random.Next(256)}]",
            _ => entry.Contains(':') ? $"[{entry}]" : entry.Length == 0 ? "localhost" : entry,
        };
    }
}
