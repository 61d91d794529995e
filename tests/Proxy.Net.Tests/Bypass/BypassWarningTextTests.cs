using ProxyNet.Bypass;

namespace ProxyNet.Tests.Bypass;

/// <summary>The warning for each kind of bad NO_PROXY entry, as the whole sentence a person reads in the log and in <c>proxynet doctor</c>.</summary>
public sealed class BypassWarningTextTests
{
    [Theory]
    [InlineData("10.0.0.0/33", "prefix length 33 is not between 0 and 32")]
    [InlineData("fd00::/129", "prefix length 129 is not between 0 and 128")]
    [InlineData("[fd00::]/129", "prefix length 129 is not between 0 and 128")]
    [InlineData("10.0.0.0/abc", "prefix length 'abc' is not a number")]
    [InlineData("10.0.0.0/", "the prefix length after '/' is empty")]
    [InlineData("10/8", "'10' is not a complete IPv4 address: write four dotted decimal numbers, like 10.0.0.0")]
    [InlineData("10.1", "'10.1' is not a complete IPv4 address: write four dotted decimal numbers, like 10.0.0.0")]
    [InlineData("010.0.0.0/8", "'010.0.0.0' is not an IPv4 address: each of its four parts must be a decimal number from 0 to 255")]
    [InlineData("10.0.0.256", "'10.0.0.256' is not an IPv4 address: each of its four parts must be a decimal number from 0 to 255")]
    [InlineData("fd00::zz/8", "'fd00::zz' is not an IPv6 address")]
    [InlineData("example.com:0", "port '0' is not between 1 and 65535")]
    [InlineData("example.com:65536", "port '65536' is not between 1 and 65535")]
    [InlineData("example.com:abc", "port 'abc' is not between 1 and 65535")]
    [InlineData("[::1", "missing ']'")]
    [InlineData("[zz::1]", "'zz::1' is not an IPv6 address")]
    [InlineData("1:2:3", "'1:2:3' is not an IPv6 address (write [addr]:port for a port)")]
    [InlineData("http://example.com", "write a host name, IP address or CIDR range, not a URL")]
    public void Each_bad_entry_has_its_sentence(string entry, string problem)
    {
        var warnings = new List<string>();
        var list = BypassList.Parse([entry], "NO_PROXY", warnings);
        Assert.Equal([$"NO_PROXY entry '{entry}' ignored: {problem}"], warnings);
        Assert.Empty(list.Rules);
    }

    [Theory]
    [InlineData("example.com:1")]
    [InlineData("example.com:65535")]
    [InlineData("10.0.0.0/0")]
    [InlineData("10.0.0.0/32")]
    [InlineData("fd00::/128")]
    [InlineData("::/0")]
    [InlineData("255.255.255.255")]
    [InlineData("0.0.0.0")]
    public void The_bounds_themselves_are_good_entries(string entry)
    {
        var warnings = new List<string>();
        var list = BypassList.Parse([entry], "NO_PROXY", warnings);
        Assert.Single(list.Rules);
        Assert.DoesNotContain(warnings, w => w.Contains("ignored", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("a.example,0.0.0.0/0", "NO_PROXY entry '0.0.0.0/0' matches every IPv4 address: every IP literal bypasses the proxy")]
    [InlineData("a.example,::/0", "NO_PROXY entry '::/0' matches every IPv6 address: every IP literal bypasses the proxy")]
    [InlineData("*,a.example", "NO_PROXY entry '*' matches every host: the other 1 entry has no effect and nothing goes through the proxy")]
    [InlineData("*,a.example,b.example", "NO_PROXY entry '*' matches every host: the other 2 entries have no effect and nothing goes through the proxy")]
    public void Entries_that_match_everything_say_what_they_do(string noProxy, string expected)
    {
        var warnings = new List<string>();
        BypassList.Parse(BypassList.Split(noProxy), "NO_PROXY", warnings);
        Assert.Equal([expected], warnings);
    }
}
