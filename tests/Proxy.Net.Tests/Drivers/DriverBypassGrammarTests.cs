using ProxyNet.Drivers;
using static ProxyNet.Tests.Drivers.DriverGrammars;

namespace ProxyNet.Tests.Drivers;

/// <summary>One NO_PROXY entry of each kind, rendered for each driver and read back by that driver's grammar.</summary>
public sealed class DriverBypassGrammarTests
{
    // Hosts each entry kind is checked on: inside, beside and around the entry.
    private static readonly string[] Probes =
    [
        "https://example.com/", "https://a.example.com/", "https://a.b.example.com/", "https://badexample.com/",
        "https://example.com.evil.net/", "https://example.com:8443/", "https://a.example.com:8443/", "http://example.com/",
        "https://10.1.2.3/", "https://10.1.2.4/", "https://[::1]/", "https://[::2]/", "https://other.net/",
    ];

    [Theory]
    [InlineData("example.com", "*://example.com|*.example.com|*://example.com:*|*.example.com:*")]
    [InlineData(".example.com", "*://example.com|*.example.com|*://example.com:*|*.example.com:*")]
    [InlineData("*.example.com", "*.example.com|*.example.com:*")]
    [InlineData("Example.COM.", "*://example.com|*.example.com|*://example.com:*|*.example.com:*")]
    [InlineData("example.com:8443", "*://example.com:8443|*.example.com:8443")]
    [InlineData("example.com:443", "https://example.com|https://*.example.com")]
    [InlineData("10.1.2.3", "*://10.1.2.3|*://10.1.2.3:*")]
    public void Snowflake_NONPROXYHOSTS_says_the_entry_and_the_connector_reads_it_as_NO_PROXY_does(string entry, string expected)
    {
        var resolver = Resolver("http://proxy.corp:3128", entry);
        var settings = DriverProxySettings.For(resolver, ProxyDriver.Snowflake, "acme.snowflakecomputing.com");

        Assert.Equal(expected, Value(settings, "NONPROXYHOSTS"));
        Assert.Empty(settings.Warnings);
        var connector = Snowflake(expected);
        foreach (string probe in Probes)
        {
            Assert.True(resolver.Resolve(new Uri(probe)).IsDirect == connector.IsBypassed(new Uri(probe)), $"{entry}: {probe}");
        }
    }

    [Theory]
    [InlineData("example.com", "*://example.com,*.example.com,*://example.com:*,*.example.com:*")]
    [InlineData(".example.com", "*://example.com,*.example.com,*://example.com:*,*.example.com:*")]
    [InlineData("*.example.com", "*.example.com,*.example.com:*")]
    [InlineData("example.com:8443", "*://example.com:8443,*.example.com:8443")]
    [InlineData("10.1.2.3", "*://10.1.2.3,*://10.1.2.3:*")]
    [InlineData("::1", "*://[::1],*://[::1]:*")]
    [InlineData("[::1]:443", "https://[::1]")]
    public void Databricks_proxy_ignore_list_says_the_entry_and_the_driver_reads_it_as_NO_PROXY_does(string entry, string expected)
    {
        var resolver = Resolver("http://proxy.corp:3128", entry);
        var settings = DriverProxySettings.For(resolver, ProxyDriver.DatabricksAdbc, "adb-1.azuredatabricks.net");

        Assert.Equal(expected, Value(settings, "adbc.proxy_options.proxy_ignore_list"));
        Assert.Empty(settings.Warnings);
        var driver = Adbc(expected);
        foreach (string probe in Probes)
        {
            Assert.True(resolver.Resolve(new Uri(probe)).IsDirect == driver.IsBypassed(new Uri(probe)), $"{entry}: {probe}");
        }
    }

    [Theory]
    [InlineData("example.com", "example.com,*.example.com")]
    [InlineData(".example.com", "example.com,*.example.com")]
    [InlineData("*.example.com", "*.example.com")]
    [InlineData("10.1.2.3", "10.1.2.3")]
    public void Odbc_ProxyIgnoreList_writes_hosts_and_wildcards(string entry, string expected)
    {
        var settings = DriverProxySettings.For(Resolver("http://proxy.corp:3128", entry), ProxyDriver.Odbc, "adb-1.azuredatabricks.net");

        Assert.Equal(expected, Value(settings, "ProxyIgnoreList"));
        Assert.Empty(settings.Warnings);
    }

    [Theory]
    [InlineData(ProxyDriver.Snowflake, "10.0.0.0/8", "address range (CIDR)")]
    [InlineData(ProxyDriver.Snowflake, "fd00::/8", "address range (CIDR)")]
    [InlineData(ProxyDriver.Snowflake, "::1", "IPv6 address")]
    [InlineData(ProxyDriver.DatabricksAdbc, "10.0.0.0/8", "address range (CIDR)")]
    [InlineData(ProxyDriver.DatabricksAdbc, "fd00::/8", "address range (CIDR)")]
    [InlineData(ProxyDriver.Odbc, "10.0.0.0/8", "address range (CIDR)")]
    [InlineData(ProxyDriver.Odbc, "example.com:8443", "names a port")]
    [InlineData(ProxyDriver.Odbc, "::1", "IPv6 address")]
    public void An_entry_the_grammar_cannot_say_is_left_out_with_a_warning_naming_it(ProxyDriver driver, string entry, string problem)
    {
        var settings = DriverProxySettings.For(Resolver("http://proxy.corp:3128", entry, "keep.example"), driver, "acme.example.net");

        string warning = Assert.Single(settings.Warnings);
        Assert.Contains($"NO_PROXY entry {entry} ", warning.Replace("Proxy:ExcludedDomains", "NO_PROXY", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains(problem, warning, StringComparison.Ordinal);
        Assert.Contains("proxynet serve", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(settings.Values, v => v.Value.Contains(entry, StringComparison.Ordinal));
        Assert.Contains(settings.Values, v => v.Value.Contains("keep.example", StringComparison.Ordinal));
        Assert.False(settings.ServeRecommended);
    }

    [Theory]
    [InlineData(ProxyDriver.Snowflake, "USEPROXY=false")]
    [InlineData(ProxyDriver.DatabricksAdbc, "adbc.proxy_options.use_proxy=false")]
    [InlineData(ProxyDriver.Odbc, "UseProxy=0")]
    public void A_star_entry_turns_the_proxy_off(ProxyDriver driver, string expected)
    {
        var settings = DriverProxySettings.For(Resolver("http://proxy.corp:3128", "*"), driver, "acme.example.net");

        Assert.Equal(expected, settings.ToConnectionString());
        Assert.Empty(settings.Warnings);
    }
}
