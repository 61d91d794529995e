using System.Globalization;
using ProxyNet.Pac;

namespace ProxyNet.Tests.Pac;

/// <summary>
/// Where pacparser (the reference) is wrong by the specification browsers follow, we follow the browsers. Each row
/// runs the same expression through pacparser (under libfaketime, UTC+2) and through our engine (injected clock, same
/// zone) and asserts both answers, so the difference is stated here rather than hidden.
/// </summary>
public sealed class PacDeviationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("proxynet-pac-deviation-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    // Netscape's definition (kept by MDN): weekdayRange("FRI", "MON") is "Friday through Monday (order does matter)".
    // pacparser compares wd1 <= day <= wd2 and so never matches a range over the weekend. Saturday:
    [InlineData("weekdayRange(\"FRI\", \"MON\")", "2026-12-05 23:15:00", "true", "false")]
    // The same wrap for hours: 22 through 6 includes 23:15 (pacparser: never).
    [InlineData("timeRange(22, 6)", "2026-12-05 23:15:00", "true", "false")]
    [InlineData("timeRange(23, 0, 1, 0)", "2027-01-01 00:30:00", "true", "false")]
    // And for months and days: NOV through FEB includes December; the 28th through the 3rd includes the 2nd.
    [InlineData("dateRange(\"NOV\", \"FEB\")", "2026-12-05 23:15:00", "true", "false")]
    [InlineData("dateRange(28, 3)", "2027-01-02 03:00:00", "true", "false")]
    // Microsoft's isResolvableEx is true when the host resolves; pacparser tests dnsResolveEx's "" against null.
    [InlineData("isResolvableEx(\"nothing.invalid\")", "2026-12-07 09:30:20", "false", "true")]
    // Microsoft's isInNetEx takes a host name or an address and resolves a name; pacparser only reads literals.
    [InlineData("isInNetEx(\"localhost\", \"127.0.0.0/8\")", "2026-12-07 09:30:20", "true", "false")]
    // sortIpAddressList and alert are standard (Microsoft; Netscape/Chrome/Firefox); pacparser 1.3 defines neither.
    [InlineData("typeof sortIpAddressList + typeof alert", "2026-12-07 09:30:20", "functionfunction", "undefinedundefined")]
    public void We_follow_the_browsers_where_pacparser_does_not(string expression, string at, string ours, string pacparsers)
    {
        string path = Path.Combine(_dir, "deviation.pac");
        File.WriteAllText(path, $"function FindProxyForURL(url, host) {{ return \"PROXY r-\" + ({expression}) + \".example:1\"; }}\n");
        (string Url, string Host) input = ("http://a.example/", "a.example");

        string reference = PacCorpusTests.Pacparser(path, [input], at: at).Single();
        var clock = new FakeClock(new DateTimeOffset(DateTime.ParseExact(at, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), FakeClock.Zone.BaseUtcOffset));
        using var pac = new ProxyAutoConfig(new PacOptions { CallTimeout = TimeSpan.FromSeconds(5) }, new PacCorpusTests.MachineDns(), clock);
        string answer = pac.Compile(path, File.ReadAllText(path)).FindProxyForUrl(input.Url, input.Host);

        Assert.Equal($"PROXY r-{pacparsers}.example:1", reference);
        Assert.Equal($"PROXY r-{ours}.example:1", answer);
    }

    [Fact]
    public void FindProxyForURLEx_is_called_when_the_script_defines_it_as_Chromium_and_WinHTTP_do()
    {
        // pacparser only ever calls FindProxyForURL: a script with both answers the plain one there, and a script with
        // only the Ex function fails ("Could not find proxy").
        string path = Path.Combine(_dir, "ex.pac");
        File.WriteAllText(path, "function FindProxyForURL(u, h) { return 'PROXY plain.example:1'; }\nfunction FindProxyForURLEx(u, h) { return 'PROXY ex.example:1'; }\n");

        string reference = PacCorpusTests.Pacparser(path, [("http://a.example/", "a.example")]).Single();
        using var pac = new ProxyAutoConfig(new PacOptions { CallTimeout = TimeSpan.FromSeconds(5) }, new PacCorpusTests.MachineDns());
        string answer = pac.Compile(path, File.ReadAllText(path)).FindProxyForUrl("http://a.example/", "a.example");

        Assert.Equal("PROXY plain.example:1", reference);
        Assert.Equal("PROXY ex.example:1", answer);
    }

    [Fact]
    public void MyIpAddressEx_lists_every_local_address_as_Microsoft_defines_it()
    {
        var dns = new FakeDns([], "192.0.2.7", "2001:db8::7");
        using var pac = new ProxyAutoConfig(new PacOptions { CallTimeout = TimeSpan.FromSeconds(5) }, dns);
        string path = Path.Combine(_dir, "my.pac");
        File.WriteAllText(path, "function FindProxyForURL(u, h) { return 'PROXY ' + myIpAddressEx().replace(/[.:;]/g, '-') + '.example:1'; }\n");

        string answer = pac.Compile(path, File.ReadAllText(path)).FindProxyForUrl("http://a.example/", "a.example");

        // pacparser returns the one address it was given (or its hostname's, often 127.0.0.1 from /etc/hosts).
        Assert.Equal("PROXY 192-0-2-7-2001-db8--7.example:1", answer);
    }
}
