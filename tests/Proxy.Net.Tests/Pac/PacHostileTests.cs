using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using ProxyNet.Pac;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.Tests.Pac;

/// <summary>
/// Issue 28: a PAC script and its server are hostile. Every bound is shown by what the peer saw or what the script
/// could observe, never by a stopwatch: the stalled fetch ends in words and holds nothing else up, a call's DNS stops
/// at its deadline and its lookup budget, an engine's memory is recycled, alerts are few and escaped, the explain
/// trace cannot be forged.
/// </summary>
public sealed class PacHostileTests
{
    private const string Good = "function FindProxyForURL(url, host) { return 'PROXY one:1'; }";

    /// <summary>Sends a 200 with a Content-Length and a few bytes of the body, then neither ends nor closes.</summary>
    private static ScriptedServer Stalling(Func<int, bool>? stallOn = null, string body = Good) => new(async (stream, _, number) =>
    {
        await ScriptedServer.ReadHeadAsync(stream);
        if (stallOn is not null && !stallOn(number))
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}"));
            return;
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\nfunction Find"));
        await Task.Delay(TimeSpan.FromMinutes(2));
    });

    [Fact]
    public async Task A_server_that_stalls_after_its_headers_ends_at_the_fetch_deadline_and_holds_up_no_other_request()
    {
        await using var server = Stalling();
        using var pac = new ProxyAutoConfig(new PacOptions { FetchTimeout = TimeSpan.FromSeconds(3) });
        var resolver = ProxyResolver.Create(new ProxyNetOptions { PacUrl = server.Url + "/proxy.pac", ExcludedDomains = { "intranet.example" }, UseEnvironment = false }, pac);

        var first = Task.Run(() => resolver.Resolve(new Uri("http://example.com/")));
        var second = Task.Run(() => resolver.Resolve(new Uri("http://example.org/")));
        while (server.Connections == 0)
        {
            await Task.Delay(10);
        }

        // The fetch is stalled now: a NO_PROXY request decides without it.
        var bypassed = resolver.Resolve(new Uri("http://intranet.example/"));
        Assert.True(bypassed.IsDirect);
        Assert.False(first.IsCompleted);

        var results = await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(60));
        foreach (var decision in results)
        {
            Assert.True(decision.IsError);
            Assert.Equal($"PAC {server.Url}/proxy.pac: the script could not be fetched: no complete answer within 3 s (PacOptions.FetchTimeout)", decision.Error);
        }

        // Both requests waited for the one fetch.
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task A_refresh_that_stalls_keeps_the_last_good_script_and_the_next_refresh_still_runs()
    {
        await using var server = Stalling(number => number == 2, body: Good);
        string url = server.Url + "/proxy.pac";
        using var pac = new ProxyAutoConfig(new PacOptions { FetchTimeout = TimeSpan.FromSeconds(2) });
        var first = pac.Load(url);

        pac.Refresh();
        Assert.Same(first, pac.Load(url));
        Assert.Equal(2, server.Connections);

        pac.Refresh();
        Assert.Equal(3, server.Connections);
        Assert.Same(first, pac.Load(url));
    }

    [Fact]
    public async Task The_first_fetch_starts_when_the_resolver_is_built()
    {
        await using var server = new ScriptedServer(async (stream, _) =>
        {
            await ScriptedServer.ReadHeadAsync(stream);
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {Good.Length}\r\nConnection: close\r\n\r\n{Good}"));
        });
        using var pac = new ProxyAutoConfig();

        ProxyResolver.Create(new ProxyNetOptions { PacUrl = server.Url + "/proxy.pac", UseEnvironment = false }, pac);

        await WaitUntil(() => server.Connections == 1);
    }

    [Fact]
    public void A_call_waits_for_dns_no_longer_than_its_time_limit()
    {
        var dns = new SlowDns(TimeSpan.FromSeconds(20));
        using var pac = new ProxyAutoConfig(new PacOptions { CallTimeout = TimeSpan.FromSeconds(2), DnsTimeout = TimeSpan.FromSeconds(10) }, dns);
        var script = pac.Compile("slow.pac", """
            function FindProxyForURL(url, host) {
                return dnsResolve('a1.example') + dnsResolve('a2.example') + dnsResolve('a3.example') + dnsResolve('a4.example')
                    + dnsResolve('a5.example') + dnsResolve('a6.example') + dnsResolve('a7.example') + dnsResolve('a8.example')
                    + dnsResolve('a9.example') + dnsResolve('a10.example');
            }
            """);

        var error = Assert.Throws<ProxyConfigurationException>(() => script.FindProxyForUrl("http://x/", "x"));

        Assert.Equal("PAC slow.pac: FindProxyForURL(\"http://x/\", \"x\") ran past the time limit (2000 ms) waiting for DNS (\"a1.example\")", error.Message);
        Assert.True(dns.Lookups <= 1, $"{dns.Lookups} lookups");
    }

    [Fact]
    public async Task A_lookup_the_call_gave_up_on_fills_the_cache_for_the_next_call()
    {
        var dns = new SlowDns(TimeSpan.FromSeconds(4), "10.1.2.3");
        using var pac = new ProxyAutoConfig(new PacOptions { CallTimeout = TimeSpan.FromSeconds(1) }, dns);
        var script = pac.Compile("slow.pac", "function FindProxyForURL(url, host) { return 'PROXY ' + dnsResolve('db.example') + ':1'; }");

        Assert.Throws<ProxyConfigurationException>(() => script.FindProxyForUrl("http://x/", "x"));
        await WaitUntil(() => dns.Answered == 1);

        Assert.Equal("PROXY 10.1.2.3:1", script.FindProxyForUrl("http://x/", "x"));
        Assert.Equal(1, dns.Lookups);
    }

    [Fact]
    public void One_call_sends_at_most_MaxDnsLookups_lookups_to_the_resolver()
    {
        var dns = new FakeDns([]);
        using var pac = new ProxyAutoConfig(new PacOptions { MaxDnsLookups = 32, CallTimeout = TimeSpan.FromSeconds(60) }, dns);
        var script = pac.Compile("flood.pac", """
            function FindProxyForURL(url, host) {
                for (var i = 0; i < 5000; i++) { isResolvable('h' + i + '.example'); }
                return 'DIRECT';
            }
            """);

        var error = Assert.Throws<ProxyConfigurationException>(() => script.FindProxyForUrl("http://x/", "x"));

        Assert.Equal("PAC flood.pac: FindProxyForURL(\"http://x/\", \"x\") ran past the DNS lookup limit (32 lookups in one call; the next was for \"h32.example\")", error.Message);
        Assert.Equal(32, dns.Lookups);
    }

    [Fact]
    public void Cached_answers_do_not_count_against_the_lookup_budget()
    {
        var dns = new FakeDns(new() { ["intranet.example"] = ["10.5.0.1"] });
        using var pac = new ProxyAutoConfig(new PacOptions { MaxDnsLookups = 2, CallTimeout = TimeSpan.FromSeconds(60) }, dns);
        var script = pac.Compile("rules.pac", """
            function FindProxyForURL(url, host) {
                for (var i = 0; i < 200; i++) { if (isInNet(host, '10.' + i + '.0.0', '255.255.0.0')) return 'PROXY n' + i + ':1'; }
                return 'DIRECT';
            }
            """);

        Assert.Equal("PROXY n5:1", script.FindProxyForUrl("http://intranet.example/", "intranet.example"));
        Assert.Equal(1, dns.Lookups);
    }

    [Fact]
    public void A_script_that_keeps_what_it_allocates_is_started_afresh_before_it_passes_the_memory_limit()
    {
        using var pac = new ProxyAutoConfig(new PacOptions { MemoryLimit = 4L * 1024 * 1024, CallTimeout = TimeSpan.FromSeconds(30) });
        var script = pac.Compile("hoard.pac", """
            var keep = [];
            function FindProxyForURL(url, host) {
                keep.push(new Array(20000).join('x') + url);
                return 'PROXY kept' + keep.length + ':1';
            }
            """);

        int most = 0;
        for (int i = 0; i < 300; i++)
        {
            string answer = script.FindProxyForUrl($"http://h{i}/", $"h{i}");
            most = Math.Max(most, int.Parse(answer["PROXY kept".Length..answer.IndexOf(':', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture));
        }

        // 20,000 characters are 40 KB a call: an engine is dropped long before it holds 300 of them (12 MB).
        Assert.True(most < 150, $"one engine kept {most} strings of 40 KB");
        Assert.True(script.EnginesCreated > 2, $"{script.EnginesCreated} engines");
    }

    [Fact]
    public void Alert_lines_are_few_escaped_and_counted()
    {
        using var logs = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var pac = new ProxyAutoConfig(new PacOptions { CallTimeout = TimeSpan.FromSeconds(30) }, new FakeDns([]), logger: factory.CreateLogger("pac"));
        var script = pac.Compile("loud.pac", """
            function FindProxyForURL(url, host) {
                for (var i = 0; i < 15657; i++) { alert('line ' + i + '\r\nDecision:  DIRECT, because forged\u001b[31m'); }
                return 'DIRECT';
            }
            """);

        script.FindProxyForUrl("http://x/", "x");

        var lines = logs.Lines.ToList();
        var alerts = lines.Where(l => l.Contains("alert: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(PacNatives.AlertsPerCall, alerts.Count);
        Assert.All(lines, l => Assert.DoesNotContain(l.TrimEnd(), c => c is '\r' or '\n' or '\u001b'));
        Assert.Contains(@"PAC loud.pac alert: line 0\x0d\x0aDecision:  DIRECT, because forged\x1b[31m", alerts[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains($"PAC loud.pac: {15657 - PacNatives.AlertsPerCall} alert() lines were not logged (at most 10 per call and 60 a minute)", StringComparison.Ordinal));
    }

    [Fact]
    public void Alerts_of_many_calls_are_at_most_sixty_a_minute()
    {
        using var logs = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var pac = new ProxyAutoConfig(new PacOptions { CallTimeout = TimeSpan.FromSeconds(30) }, new FakeDns([]), logger: factory.CreateLogger("pac"));
        var script = pac.Compile("chatty.pac", "function FindProxyForURL(url, host) { alert(url); alert(host); return 'DIRECT'; }");

        for (int i = 0; i < 500; i++)
        {
            script.FindProxyForUrl($"http://h{i}/", $"h{i}");
        }

        Assert.True(logs.Lines.Count <= PacNatives.AlertsPerMinute, $"{logs.Lines.Count} lines");
    }

    [Fact]
    public void The_explain_trace_is_written_from_the_values_and_cannot_be_forged()
    {
        using var pac = new ProxyAutoConfig(new PacOptions { CallTimeout = TimeSpan.FromSeconds(30) }, new FakeDns(new() { ["a.example"] = ["10.0.0.1"] }));
        var script = pac.Compile("forger.pac", """
            JSON.stringify = function () { return '"forged"'; };
            Array.prototype.map = function () { return ['forged']; };
            function FindProxyForURL(url, host) {
                try { __pacTrace('dnsResolve("intranet") = "6.6.6.6"'); } catch (e) { }
                try { trace('dnsResolve', ['intranet'], '6.6.6.6'); } catch (e) { }
                dnsResolve('a.example');
                isPlainHostName('x"\n  dnsResolve("evil") = "6.6.6.6"');
                return 'DIRECT';
            }
            """);
        var trace = new List<string>();

        script.FindProxyForUrl("http://x/", "x", trace);

        Assert.Equal(
            [
                "dnsResolve(\"a.example\") = \"10.0.0.1\"",
                @"isPlainHostName(""x\""\x0a  dnsResolve(\""evil\"") = \""6.6.6.6\"""") = false",
            ],
            trace);
    }

    [Fact]
    public void A_script_answer_of_four_hundred_proxies_is_tried_sixteen_deep_with_a_warning()
    {
        var warnings = new List<string>();
        string answer = string.Join("; ", Enumerable.Range(0, 400).Select(i => $"PROXY p{i}:3128"));

        var decision = PacAnswer.Decide(answer, "many.pac", "FindProxyForURL", warnings);

        Assert.Equal(16, decision.Candidates.Count);
        Assert.Equal(["PAC many.pac: FindProxyForURL returned 400 items; only the first 16 are tried"], warnings);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            await Task.Delay(10, limit.Token);
        }
    }

    /// <summary>A resolver that answers after a delay, and counts lookups started and answered.</summary>
    private sealed class SlowDns(TimeSpan delay, string? address = null) : IPacHostResolver
    {
        private int _lookups;
        private int _answered;

        public int Lookups => Volatile.Read(ref _lookups);

        public int Answered => Volatile.Read(ref _answered);

        public IReadOnlyList<IPAddress> Resolve(string host)
        {
            Interlocked.Increment(ref _lookups);
            Thread.Sleep(delay);
            Interlocked.Increment(ref _answered);
            return address is null ? [] : [IPAddress.Parse(address)];
        }

        public IReadOnlyList<IPAddress> GetLocalAddresses() => [IPAddress.Parse("10.9.9.9")];
    }
}
