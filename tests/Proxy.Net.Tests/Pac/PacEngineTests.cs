using System.Diagnostics;
using ProxyNet.Pac;
using ProxyNet.Resolution;

namespace ProxyNet.Tests.Pac;

/// <summary>The Jint engine: every helper with an injected DNS and clock, and the sandbox against hostile scripts.</summary>
public sealed class PacEngineTests : IDisposable
{
    private const string PacUrl = "http://pac.test/proxy.pac";

    // Wednesday 2025-03-12 10:30:15 UTC = 12:30:15 in the test zone (UTC+2).
    private readonly FakeClock _clock = new(new DateTimeOffset(2025, 3, 12, 10, 30, 15, TimeSpan.Zero));
    private readonly FakeDns _dns = new(
        new()
        {
            ["intranet.corp"] = ["10.1.2.3"],
            ["dual.corp"] = ["2001:db8::5", "192.168.1.7"],
            ["v6only.corp"] = ["2001:db8::9"],
        },
        "10.20.30.40", "fd00::1");

    private readonly ProxyAutoConfig _pac;

    public PacEngineTests() => _pac = new ProxyAutoConfig(new PacOptions(), _dns, _clock);

    public void Dispose() => _pac.Dispose();

    [Theory]
    [InlineData("isPlainHostName('intranet')", "true")]
    [InlineData("isPlainHostName('intranet.corp')", "false")]
    [InlineData("dnsDomainIs('www.corp.com', '.corp.com')", "true")]
    [InlineData("dnsDomainIs('www.other.com', '.corp.com')", "false")]
    [InlineData("localHostOrDomainIs('www', 'www.corp.com')", "true")]
    [InlineData("localHostOrDomainIs('www.corp.com', 'www.corp.com')", "true")]
    [InlineData("localHostOrDomainIs('www.other.com', 'www.corp.com')", "false")]
    [InlineData("isResolvable('intranet.corp')", "true")]
    [InlineData("isResolvable('nowhere.corp')", "false")]
    [InlineData("isResolvable('v6only.corp')", "false")]
    [InlineData("isResolvableEx('v6only.corp')", "true")]
    [InlineData("isInNet('intranet.corp', '10.0.0.0', '255.0.0.0')", "true")]
    [InlineData("isInNet('10.1.2.3', '10.1.0.0', '255.255.0.0')", "true")]
    [InlineData("isInNet('10.1.2.3', '10.2.0.0', '255.255.0.0')", "false")]
    [InlineData("isInNet('nowhere.corp', '0.0.0.0', '0.0.0.0')", "false")]
    [InlineData("isInNet('300.1.2.3', '0.0.0.0', '0.0.0.0')", "false")]
    [InlineData("isInNetEx('dual.corp', '2001:db8::/32')", "true")]
    [InlineData("isInNetEx('dual.corp', '192.168.0.0/16')", "true")]
    [InlineData("isInNetEx('10.1.2.3', '10.0.0.0/8')", "true")]
    [InlineData("isInNetEx('10.1.2.3', '10.0.0.0/33')", "false")]
    [InlineData("dnsResolve('dual.corp')", "192.168.1.7")]
    [InlineData("dnsResolve('nowhere.corp')", "null")]
    [InlineData("dnsResolveEx('dual.corp')", "2001:db8::5;192.168.1.7")]
    [InlineData("myIpAddress()", "10.20.30.40")]
    [InlineData("myIpAddressEx()", "10.20.30.40;fd00::1")]
    [InlineData("dnsDomainLevels('a.b.c')", "2")]
    [InlineData("dnsDomainLevels('www')", "0")]
    [InlineData("shExpMatch('http://a.corp.com/x', '*.corp.com/*')", "true")]
    [InlineData("shExpMatch('acorp.com', '*.corp.com')", "false")]
    [InlineData("shExpMatch('a1.corp', 'a?.corp')", "true")]
    [InlineData("shExpMatch('a+b(c)', 'a+b(c)')", "true")]
    [InlineData("shExpMatch('axb', 'a.b')", "false")]
    [InlineData("weekdayRange('WED')", "true")]
    [InlineData("weekdayRange('MON', 'FRI')", "true")]
    [InlineData("weekdayRange('THU', 'TUE')", "false")]
    [InlineData("weekdayRange('SAT', 'WED')", "true")]
    [InlineData("weekdayRange('TUE', 'GMT')", "false")]
    [InlineData("weekdayRange('XYZ')", "false")]
    [InlineData("dateRange(12)", "true")]
    [InlineData("dateRange('MAR')", "true")]
    [InlineData("dateRange(2025)", "true")]
    [InlineData("dateRange(1, 11)", "false")]
    [InlineData("dateRange('JAN', 'MAR')", "true")]
    [InlineData("dateRange('NOV', 'MAR')", "true")]
    [InlineData("dateRange('APR', 'OCT')", "false")]
    [InlineData("dateRange(1, 'MAR', 12, 'MAR')", "true")]
    [InlineData("dateRange(13, 'MAR', 1, 'APR')", "false")]
    [InlineData("dateRange('FEB', 2025, 'APR', 2025)", "true")]
    [InlineData("dateRange(1, 'JAN', 2024, 31, 'DEC', 2024)", "false")]
    [InlineData("dateRange(1, 'JAN', 2025, 12, 'MAR', 2025)", "true")]
    [InlineData("timeRange(12)", "true")]
    [InlineData("timeRange(10, 'GMT')", "true")]
    [InlineData("timeRange(9, 12)", "true")]
    [InlineData("timeRange(13, 17)", "false")]
    [InlineData("timeRange(22, 13)", "true")]
    [InlineData("timeRange(12, 30, 12, 31)", "true")]
    [InlineData("timeRange(12, 30, 20, 12, 31, 0)", "false")]
    [InlineData("timeRange(12, 30, 0, 12, 30, 15)", "true")]
    [InlineData("sortIpAddressList('10.2.0.1;2001:db8::1;10.1.0.1;::1')", "::1;2001:db8::1;10.1.0.1;10.2.0.1")]
    [InlineData("sortIpAddressList('nope;10.1.0.1')", "false")]
    [InlineData("getClientVersion()", "1.0")]
    [InlineData("String(new Date().getTime())", "1741775415000")]
    public void Helpers_answer_with_the_injected_dns_and_clock(string expression, string expected)
    {
        var script = _pac.Compile(PacUrl, $"function FindProxyForURL(url, host) {{ return String({expression}); }}");
        Assert.Equal(expected, script.FindProxyForUrl("http://x/", "x"));
    }

    [Fact]
    public void The_ex_function_is_preferred_when_the_script_defines_it()
    {
        var script = _pac.Compile(PacUrl, "function FindProxyForURL(u, h) { return 'PROXY a:1'; } function FindProxyForURLEx(u, h) { return 'PROXY b:2'; }");
        Assert.Equal("PROXY b:2", script.FindProxyForUrl("http://x/", "x"));
    }

    [Fact]
    public void Dns_answers_are_cached()
    {
        var script = _pac.Compile(PacUrl, "function FindProxyForURL(u, h) { return dnsResolve(h) || 'none'; }");
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal("10.1.2.3", script.FindProxyForUrl("http://intranet.corp/", "intranet.corp"));
        }

        Assert.Equal(1, _dns.Lookups);
        _clock.Now += TimeSpan.FromMinutes(2);
        script.FindProxyForUrl("http://intranet.corp/", "intranet.corp");
        Assert.Equal(2, _dns.Lookups);
    }

    [Theory]
    [InlineData("while (true) {}", "ran past the")] // the time or the statement limit, whichever comes first
    [InlineData("function f(n) { return f(n + 1) + 1; } return f(0);", "recursion limit")]
    [InlineData("var s = 'x'; while (true) { s = s + s; }", "memory limit")]
    [InlineData("var a = []; while (true) { a.push(new Array(1000).join('y')); }", "ran past the")]
    [InlineData("throw new Error('no route for ' + host);", "threw: ")]
    [InlineData("return 42;", "not a string")]
    [InlineData("return undefined;", "returned undefined")]
    [InlineData("return java.lang.System.exit(1);", "threw: ")]
    [InlineData("return System.IO.File.ReadAllText('/etc/passwd');", "threw: ")]
    [InlineData("return importNamespace('System.IO').File.ReadAllText('/etc/passwd');", "threw: ")]
    [InlineData("return eval('\"PROXY a:1\"');", "threw: ")]
    [InlineData("return Function('return 1')();", "threw: ")]
    public void A_hostile_script_ends_in_a_configuration_error_naming_the_url(string body, string problem)
    {
        var script = _pac.Compile(PacUrl, $"function FindProxyForURL(url, host) {{ {body} }} function ok() {{ return 1; }}");
        var watch = Stopwatch.StartNew();
        var error = Assert.Throws<ProxyConfigurationException>(() => script.FindProxyForUrl("http://x/", "x"));
        Assert.Contains(PacUrl, error.Message);
        Assert.Contains(problem, error.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData("function FindProxyForURL(url, host) { return 'DIRECT'; ", "does not compile")]
    [InlineData("var x = 1;", "defines no function FindProxyForURL")]
    [InlineData("while (true) {} function FindProxyForURL(u, h) { return 'DIRECT'; }", "top level ran past the")]
    public void A_script_that_does_not_load_is_a_configuration_error(string text, string problem)
    {
        var error = Assert.Throws<ProxyConfigurationException>(() => _pac.Compile(PacUrl, text));
        Assert.Contains(PacUrl, error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Theory]
    [InlineData("while (true) {}", "ran past the")]
    [InlineData("function f(n) { return f(n + 1) + 1; } return f(0);", "recursion limit")]
    [InlineData("var s = 'x'; while (true) { s = s + s; }", "memory limit")]
    [InlineData("throw new Error('no route');", "threw: ")]
    public async Task Other_requests_are_served_while_a_call_runs_away(string hostile, string problem)
    {
        var script = _pac.Compile(PacUrl, $"function FindProxyForURL(url, host) {{ if (host == 'loop') {{ {hostile} }} return 'PROXY ok:1'; }}");
        var runaway = Task.Run(() =>
        {
            var error = Assert.Throws<ProxyConfigurationException>(() => script.FindProxyForUrl("http://loop/", "loop"));
            Assert.Contains(PacUrl, error.Message, StringComparison.Ordinal);
            Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        });
        var answers = Enumerable.Range(0, 20).Select(i => Task.Run(() => script.FindProxyForUrl($"http://h{i}/", $"h{i}"))).ToArray();
        Assert.All(await Task.WhenAll(answers), a => Assert.Equal("PROXY ok:1", a));
        await runaway;
        Assert.Equal("PROXY ok:1", script.FindProxyForUrl("http://after/", "after"));
    }

    [Fact]
    public void Alert_goes_to_the_log()
    {
        var logs = new Fakes.ListLoggerProvider();
        using var pac = new ProxyAutoConfig(new PacOptions(), _dns, _clock, logs.CreateLogger("pac"));
        pac.Compile(PacUrl, "function FindProxyForURL(u, h) { alert('checking ' + h); return 'DIRECT'; }").FindProxyForUrl("http://x/", "x");
        Assert.Contains(logs.Lines, m => m.Contains("checking x", StringComparison.Ordinal));
    }
}
