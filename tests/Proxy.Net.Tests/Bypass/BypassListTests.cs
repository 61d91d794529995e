using ProxyNet.Bypass;

namespace ProxyNet.Tests.Bypass;

/// <summary>Every row of the NO_PROXY grammar table (semantics, section 3) and the edges around it.</summary>
public sealed class BypassListTests
{
    [Theory]
    // '*' alone or as any entry
    [InlineData("*", "http://anything.example/", "*")]
    [InlineData("foo.com, *", "http://10.9.8.7/", "*")]
    [InlineData("*", "http://[::1]/", "*")]
    // domain: itself and subdomains
    [InlineData("example.com", "http://example.com/", "example.com")]
    [InlineData("example.com", "http://a.b.example.com/", "example.com")]
    [InlineData("example.com", "http://notexample.com/", null)]
    [InlineData("example.com", "http://example.com.evil.net/", null)]
    [InlineData("example.com", "http://com/", null)]
    [InlineData("example.com", "https://EXAMPLE.COM/", "example.com")]
    [InlineData("EXAMPLE.com", "http://www.example.com/", "EXAMPLE.com")]
    // leading dot
    [InlineData(".example.com", "http://example.com/", ".example.com")]
    [InlineData(".example.com", "http://a.example.com/", ".example.com")]
    [InlineData(".example.com", "http://badexample.com/", null)]
    // '*.' wildcard: subdomains only
    [InlineData("*.example.com", "http://a.example.com/", "*.example.com")]
    [InlineData("*.example.com", "http://x.y.example.com/", "*.example.com")]
    [InlineData("*.example.com", "http://badexample.com/", null)]
    [InlineData("*.example.com", "http://example.com/", null)]
    // trailing dots, on the entry and on the URL
    [InlineData("example.com.", "http://example.com/", "example.com.")]
    [InlineData("example.com.", "http://a.example.com/", "example.com.")]
    [InlineData("example.com", "http://example.com./", "example.com")]
    [InlineData("example.com", "http://a.example.com./", "example.com")]
    // ports, with the URL's default port counting
    [InlineData("example.com:8080", "http://example.com:8080/", "example.com:8080")]
    [InlineData("example.com:8080", "http://a.example.com:8080/", "example.com:8080")]
    [InlineData("example.com:8080", "http://example.com/", null)]
    [InlineData("example.com:8080", "http://example.com:8081/", null)]
    [InlineData("example.com:443", "https://example.com/", "example.com:443")]
    [InlineData("example.com:443", "http://example.com/", null)]
    [InlineData("example.com:80", "http://example.com/", "example.com:80")]
    [InlineData("example.com:80", "ws://example.com/", "example.com:80")]
    [InlineData("example.com:443", "wss://example.com/", "example.com:443")]
    [InlineData("example.com:21", "ftp://example.com/", "example.com:21")]
    [InlineData("*.example.com:8443", "https://a.example.com:8443/", "*.example.com:8443")]
    [InlineData("*.example.com:8443", "https://a.example.com/", null)]
    // IPv4 literals
    [InlineData("10.1.2.3", "http://10.1.2.3/", "10.1.2.3")]
    [InlineData("10.1.2.3", "http://10.1.2.4/", null)]
    [InlineData("10.1.2.3", "http://10.1.2.3:8080/", "10.1.2.3")]
    [InlineData("10.1.2.3:8080", "http://10.1.2.3:8080/", "10.1.2.3:8080")]
    [InlineData("10.1.2.3:8080", "http://10.1.2.3/", null)]
    [InlineData("127.0.0.1", "http://0x7f.0.0.1/", "127.0.0.1")]
    [InlineData("10.1.2.3", "http://host10.example/", null)]
    [InlineData("10.1.2.3", "http://[::ffff:10.1.2.3]/", "10.1.2.3")]
    // IPv6 literals in any spelling
    [InlineData("::1", "http://[::1]/", "::1")]
    [InlineData("[::1]", "http://[::1]/", "[::1]")]
    [InlineData("0:0:0:0:0:0:0:1", "http://[::1]/", "0:0:0:0:0:0:0:1")]
    [InlineData("::1", "http://[0:0:0:0:0:0:0:1]/", "::1")]
    [InlineData("::1", "http://[::2]/", null)]
    [InlineData("::1", "http://localhost/", null)]
    [InlineData("2001:DB8::1", "http://[2001:db8:0:0::1]:9000/", "2001:DB8::1")]
    [InlineData("[::1]:8080", "http://[::1]:8080/", "[::1]:8080")]
    [InlineData("[::1]:8080", "http://[::1]:8081/", null)]
    [InlineData("[::1]:8080", "http://[::1]/", null)]
    [InlineData("fe80::1", "http://[fe80::1%25eth0]/", "fe80::1")]
    [InlineData("::ffff:10.1.2.3", "http://[::ffff:10.1.2.3]/", "::ffff:10.1.2.3")]
    // CIDR ranges
    [InlineData("10.0.0.0/8", "http://10.1.2.3/", "10.0.0.0/8")]
    [InlineData("10.0.0.0/8", "http://11.1.2.3/", null)]
    [InlineData("10.0.0.0/8", "http://ten.example/", null)]
    [InlineData("192.168.1.0/24", "http://192.168.1.255/", "192.168.1.0/24")]
    [InlineData("192.168.1.0/24", "http://192.168.2.1/", null)]
    [InlineData("0.0.0.0/0", "http://8.8.8.8/", "0.0.0.0/0")]
    [InlineData("10.1.2.3/32", "http://10.1.2.3/", "10.1.2.3/32")]
    [InlineData("10.1.2.3/32", "http://10.1.2.4/", null)]
    [InlineData("10.1.2.3/8", "http://10.200.0.1/", "10.1.2.3/8")]
    [InlineData("fd00::/8", "http://[fd12:3456::1]/", "fd00::/8")]
    [InlineData("fd00::/8", "http://[fe80::1]/", null)]
    [InlineData("fd00::/8", "http://10.1.2.3/", null)]
    [InlineData("::/0", "http://[2001:db8::1]/", "::/0")]
    [InlineData("2001:db8::/32", "http://[2001:db8:ffff::1]/", "2001:db8::/32")]
    [InlineData("2001:db8::/32", "http://[2001:db9::1]/", null)]
    [InlineData("[2001:db8::]/32", "http://[2001:db8::5]/", "[2001:db8::]/32")]
    [InlineData("10.0.0.0/8", "http://[::ffff:10.9.9.9]/", "10.0.0.0/8")]
    // IDN
    [InlineData("bücher.example", "http://xn--bcher-kva.example/", "bücher.example")]
    [InlineData("bücher.example", "http://bücher.example/", "bücher.example")]
    [InlineData("xn--bcher-kva.example", "http://bücher.example/", "xn--bcher-kva.example")]
    [InlineData("bücher.example", "http://www.BÜCHER.example/", "bücher.example")]
    [InlineData("bücher.example", "http://bucher.example/", null)]
    // localhost is an ordinary name: no implicit loopback
    [InlineData("localhost", "http://localhost/", "localhost")]
    [InlineData("localhost", "http://api.localhost/", "localhost")]
    [InlineData("localhost", "http://localhost.example.com/", null)]
    [InlineData("localhost", "http://127.0.0.1/", null)]
    [InlineData("example.com", "http://127.0.0.1/", null)]
    [InlineData("", "http://example.com/", null)]
    // separators, whitespace and empty entries
    [InlineData(" foo.com ,  example.com ", "http://example.com/", "example.com")]
    [InlineData(",,example.com,,", "http://example.com/", "example.com")]
    [InlineData("foo.com,\texample.com\t", "http://x.example.com/", "example.com")]
    // the first matching entry in written order is reported
    [InlineData("example.com,a.example.com", "http://a.example.com/", "example.com")]
    [InlineData("a.example.com,example.com", "http://a.example.com/", "a.example.com")]
    [InlineData("10.0.0.0/8,10.1.2.3", "http://10.1.2.3/", "10.0.0.0/8")]
    [InlineData("10.1.2.3,10.0.0.0/8", "http://10.1.2.3/", "10.1.2.3")]
    [InlineData("example.com:8080,*", "http://example.com:8080/", "example.com:8080")]
    [InlineData("example.com:8080,*", "http://example.com/", "*")]
    // bad entries are ignored, the others still apply
    [InlineData("10.0.0.0/33,example.com", "http://example.com/", "example.com")]
    [InlineData("10.0.0.0/33", "http://10.1.2.3/", null)]
    [InlineData("exa mple.com,10.0.0.0/8", "http://10.1.2.3/", "10.0.0.0/8")]
    [InlineData("foo*.com", "http://foo1.com/", null)]
    [InlineData("example.com:99999", "http://example.com/", null)]
    [InlineData("http://example.com", "http://example.com/", null)]
    // underscores and digits in names
    [InlineData("my_host.corp", "http://my_host.corp/", "my_host.corp")]
    [InlineData("123.example", "http://a.123.example/", "123.example")]
    public void Matches_as_the_grammar_says(string noProxy, string url, string? expectedEntry)
    {
        var list = BypassList.Parse(BypassList.Split(noProxy), "NO_PROXY", warnings: null);
        var rule = list.Match(new Uri(url));
        Assert.Equal(expectedEntry, rule?.Entry);
    }

    [Theory]
    [InlineData("10.0.0.0/33", "prefix length")]
    [InlineData("fd00::/129", "prefix length")]
    [InlineData("10.0.0.0/abc", "prefix length 'abc' is not a number")]
    [InlineData("10.0.0.0/16a", "prefix length '16a' is not a number")]
    [InlineData("10.0.0.0/", "empty")]
    [InlineData("10/8", "not a complete IPv4 address")]
    [InlineData("192.168/16", "not a complete IPv4 address")]
    [InlineData("10.0/8", "not a complete IPv4 address")]
    [InlineData("0/0", "not a complete IPv4 address")]
    [InlineData("10.1", "not a complete IPv4 address")]
    [InlineData("010.0.0.0/8", "decimal number from 0 to 255")]
    [InlineData("10.0.0.256/24", "decimal number from 0 to 255")]
    [InlineData("fd00::zz/8", "not an IPv6 address")]
    [InlineData("999.1.2.3", "not an IPv4 address")]
    [InlineData("example.com:0", "port")]
    [InlineData("example.com:abc", "port")]
    [InlineData("[::1", "']'")]
    [InlineData("[zz::1]", "not an IPv6 address")]
    [InlineData("foo*.com", "wildcard")]
    [InlineData("*.", "empty host name")]
    [InlineData("a..b", "not a valid host name")]
    [InlineData("exa mple.com", "not a valid host name")]
    [InlineData("http://example.com", "not a URL")]
    [InlineData("1:2:3", "not an IPv6 address")]
    public void A_bad_entry_is_ignored_with_one_warning_naming_it(string entry, string problem)
    {
        var warnings = new List<string>();
        var list = BypassList.Parse([entry, "good.example"], "NO_PROXY", warnings);
        string warning = Assert.Single(warnings);
        Assert.Contains($"'{entry}'", warning, StringComparison.Ordinal);
        Assert.Contains(problem, warning, StringComparison.Ordinal);
        Assert.StartsWith("NO_PROXY entry", warning, StringComparison.Ordinal);
        Assert.Equal("good.example", Assert.Single(list.Rules).Entry);
    }

    [Theory]
    [InlineData("10/8", "http://0.0.0.10/")]
    [InlineData("192.168/16", "http://192.0.0.168/")]
    [InlineData("10.1", "http://10.0.0.1/")]
    public void IPv4_shorthand_matches_nothing(string entry, string url)
    {
        Assert.Null(BypassList.Parse([entry], "NO_PROXY", null).Match(new Uri(url)));
    }

    [Fact]
    public void A_prefix_length_that_is_too_long_says_so()
    {
        var warnings = new List<string>();
        BypassList.Parse(["10.0.0.0/33", "10.0.0.0/16a"], "NO_PROXY", warnings);
        Assert.Contains("prefix length 33 is not between 0 and 32", warnings[0], StringComparison.Ordinal);
        Assert.DoesNotContain("between", warnings[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*", 0)]
    [InlineData("*,foo.example", 1)]
    [InlineData("foo.example,*,10.0.0.0/8", 1)]
    [InlineData("0.0.0.0/0", 1)]
    [InlineData("foo.example,0.0.0.0/0", 1)]
    [InlineData("foo.example,::/0", 1)]
    [InlineData("foo.example,[::]/0", 1)]
    [InlineData("*,::/0,0.0.0.0/0", 3)]
    [InlineData("foo.example,10.0.0.0/8", 0)]
    public void Entries_that_bypass_everything_warn_next_to_others(string noProxy, int expectedWarnings)
    {
        var warnings = new List<string>();
        BypassList.Parse(BypassList.Split(noProxy), "NO_PROXY", warnings);
        Assert.Equal(expectedWarnings, warnings.Count);
        Assert.All(warnings, w => Assert.Contains("every", w, StringComparison.Ordinal));
    }

    [Fact]
    public void Patterned_names_get_distinct_label_hashes()
    {
        // app-00001-prod … differ only in the middle: a hash of the ends alone put them all in one probe chain.
        var hashes = Enumerable.Range(0, 20_000).Select(i => DomainTable.LabelHash($"app-{i:D5}-prod")).ToHashSet();
        Assert.Equal(20_000, hashes.Count);
        Assert.Equal(DomainTable.LabelHash("App-00001-PROD"), DomainTable.LabelHash("app-00001-prod"));
        Assert.NotEqual(DomainTable.LabelHash("abc"), DomainTable.LabelHash("abcd"));
    }

    [Fact]
    public void Ten_thousand_patterned_entries_match_like_a_linear_scan()
    {
        var entries = Enumerable.Range(0, 10_000).Select(i => $"app-{i:D5}-prod.corp.example").ToList();
        var list = BypassList.Parse(entries, "NO_PROXY", null);
        Assert.Equal("app-09999-prod.corp.example", list.Match(new Uri("http://app-09999-prod.corp.example/"))?.Entry);
        Assert.Equal("app-00042-prod.corp.example", list.Match(new Uri("http://x.app-00042-prod.corp.example/"))?.Entry);
        Assert.Null(list.Match(new Uri("http://app-10000-prod.corp.example/")));
        Assert.Null(list.Match(new Uri("http://corp.example/")));
    }

    [Fact]
    public void Ten_thousand_entries_match_like_a_linear_scan()
    {
        var entries = Enumerable.Range(0, 10_000).Select(i => (i % 4) switch
        {
            0 => $"host{i}.corp.example",
            1 => $".zone{i}.example",
            2 => $"10.{i / 256 % 256}.{i % 256}.0/24",
            _ => $"svc{i}.internal:{8000 + (i % 100)}",
        }).ToList();
        var list = BypassList.Parse(entries, "NO_PROXY", null);
        Assert.Equal(10_000, list.Rules.Count);
        Assert.Equal("host4.corp.example", list.Match(new Uri("http://a.host4.corp.example/"))?.Entry);
        Assert.Equal(".zone9997.example", list.Match(new Uri("http://zone9997.example/"))?.Entry);
        Assert.Equal("10.0.6.0/24", list.Match(new Uri("http://10.0.6.77/"))?.Entry);
        Assert.Equal("svc7.internal:8007", list.Match(new Uri("http://svc7.internal:8007/"))?.Entry);
        Assert.Null(list.Match(new Uri("http://svc7.internal:8008/")));
        Assert.Null(list.Match(new Uri("http://elsewhere.example/")));
    }

    [Fact]
    public void A_lookup_allocates_nothing()
    {
        var list = BypassList.Parse(Enumerable.Range(0, 1000).Select(i => $"host{i}.example,10.{i % 200}.0.0/16,fd{i % 99:x2}::/16"), "NO_PROXY", null);
        Uri[] uris = [new("http://a.host7.example/"), new("http://10.3.4.5/"), new("http://[fd05::1]/"), new("http://miss.example.org/"), new("http://[::1]/")];
        foreach (var uri in uris)
        {
            list.Match(uri);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            foreach (var uri in uris)
            {
                list.Match(uri);
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
