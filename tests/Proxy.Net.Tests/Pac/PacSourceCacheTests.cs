using ProxyNet.Resolution;

namespace ProxyNet.Tests.Pac;

/// <summary>
/// The PAC source's cache (semantics, section 7): an answer is kept 30 seconds per URL as the script sees it (per
/// scheme, host and port for https), a failure at most 5 seconds, the engine is asked for its current script at most
/// once a second, a changed script starts afresh and the cache never grows past its bound.
/// </summary>
public sealed class PacSourceCacheTests
{
    [Fact]
    public void An_answer_is_kept_thirty_seconds()
    {
        var (source, engine, clock) = Create((_, _) => "PROXY p:1");
        Ask(source, "http://example.com/a");
        clock.Advance(TimeSpan.FromSeconds(29.999));
        Ask(source, "http://example.com/a");
        Assert.Single(engine.Calls);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Ask(source, "http://example.com/a");
        Assert.Equal(2, engine.Calls.Count);
    }

    [Fact]
    public void A_shorter_cache_duration_applies_to_answers_and_failures_alike()
    {
        var (source, engine, clock) = Create((_, _) => "PROXY p:1", TimeSpan.FromSeconds(2));
        Ask(source, "http://example.com/");
        clock.Advance(TimeSpan.FromSeconds(2));
        Ask(source, "http://example.com/");
        Assert.Equal(2, engine.Calls.Count);

        var (failing, broken, failClock) = Create((_, _) => throw new ProxyConfigurationException("script threw"), TimeSpan.FromSeconds(2));
        Assert.Equal("script threw", Ask(failing, "http://example.com/").Error);
        failClock.Advance(TimeSpan.FromSeconds(1.9));
        Ask(failing, "http://example.com/");
        Assert.Single(broken.Calls);
        failClock.Advance(TimeSpan.FromSeconds(0.1));
        Ask(failing, "http://example.com/");
        Assert.Equal(2, broken.Calls.Count);
    }

    [Fact]
    public void A_failure_is_asked_again_after_five_seconds_not_thirty()
    {
        int call = 0;
        var (source, engine, clock) = Create((_, _) => ++call == 1 ? throw new ProxyConfigurationException("PAC script http://wpad/proxy.pac: FindProxyForURL ran past 1 s") : "PROXY p:1");
        Assert.True(Ask(source, "http://example.com/").IsError);
        clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.True(Ask(source, "http://example.com/").IsError);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal("http://p:1", Ask(source, "http://example.com/").Proxy!.Address);
        Assert.Equal(2, engine.Calls.Count);
    }

    [Fact]
    public void The_engine_is_asked_for_its_script_at_most_once_a_second_and_a_new_script_starts_afresh()
    {
        var (source, engine, clock) = Create((_, _) => "PROXY old:1");
        Ask(source, "http://example.com/");
        clock.Advance(TimeSpan.FromSeconds(0.999));
        engine.Swap((_, _) => "PROXY new:1");
        Assert.Equal("http://old:1", Ask(source, "http://example.com/").Proxy!.Address);
        Assert.Equal(1, engine.Loads);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("http://new:1", Ask(source, "http://example.com/").Proxy!.Address);
        Assert.Equal(2, engine.Loads);
    }

    [Fact]
    public void Https_URLs_share_one_answer_per_host_and_port_and_http_URLs_do_not()
    {
        var (source, engine, _) = Create((_, _) => "PROXY p:1");
        Ask(source, "https://example.com/a?token=1");
        Ask(source, "https://example.com/b?token=2");
        Ask(source, "wss://example.com/socket");
        Assert.Equal(["https://example.com/", "wss://example.com/"], engine.Calls.Select(c => c.Url));

        Ask(source, "https://example.com:8443/c");
        Assert.Equal("https://example.com:8443/", engine.Calls[^1].Url);

        Ask(source, "http://example.com/a?x=1");
        Ask(source, "http://example.com/b");
        Ask(source, "http://example.com/a?x=1");
        Assert.Equal(["http://example.com/a?x=1", "http://example.com/b"], engine.Calls.Skip(3).Select(c => c.Url));
    }

    [Fact]
    public void The_cache_is_bounded_and_keeps_answers_within_its_bound()
    {
        var (source, engine, _) = Create((_, _) => "PROXY p:1");
        for (int i = 0; i < 4096; i++)
        {
            Ask(source, $"http://h{i}.example/");
        }

        Ask(source, "http://h0.example/");
        Ask(source, "http://h4095.example/");
        Assert.Equal(4096, engine.Calls.Count);

        // The 4097th URL empties the cache: h0 is asked again.
        Ask(source, "http://h4096.example/");
        Ask(source, "http://h0.example/");
        Assert.Equal(4098, engine.Calls.Count);
    }

    [Fact]
    public void The_answer_s_warnings_reach_the_warning_sink()
    {
        var warnings = new List<string>();
        var engine = new SwappableEngine((_, _) => "PROXY p:1; BOGUS q:2");
        var source = new PacSource("http://wpad/proxy.pac", engine, warnings.Add, time: new ManualTimestamps());
        Assert.Equal("http://p:1", source.Resolve(new Uri("http://example.com/"), "example.com").Proxy!.Address);
        Assert.Single(warnings);
        Assert.Contains("BOGUS", warnings[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Without_an_engine_every_answer_is_the_error_naming_the_package_and_the_trace_is_empty()
    {
        var source = new PacSource("http://u:hunter2@wpad/proxy.pac", null, null);
        var decision = source.Resolve(new Uri("http://example.com/"), "example.com");
        Assert.Equal("Proxy:PacUrl is set (http://wpad/proxy.pac) but no PAC script engine is registered: add the Proxy.Net.Pac package and call services.AddProxyNet(...).AddPac()", decision.Error);
        Assert.Empty(source.Trace(new Uri("http://example.com/"), "example.com"));
    }

    [Fact]
    public void A_script_that_cannot_load_is_an_error_and_its_trace_says_why()
    {
        var engine = new SwappableEngine((_, _) => "DIRECT") { LoadFailure = new ProxyConfigurationException("PAC script http://wpad/proxy.pac could not be fetched: 404") };
        var source = new PacSource("http://wpad/proxy.pac", engine, null, time: new ManualTimestamps());
        Assert.Equal("PAC script http://wpad/proxy.pac could not be fetched: 404", source.Resolve(new Uri("http://example.com/"), "example.com").Error);
        Assert.Equal(["PAC script http://wpad/proxy.pac could not be fetched: 404"], source.Trace(new Uri("http://example.com/"), "example.com"));
    }

    [Fact]
    public void The_trace_starts_with_the_call_and_lists_the_helper_calls_after_it()
    {
        var engine = new SwappableEngine((_, _) => "PROXY p:1") { Helpers = ["dnsResolve(\"intranet\") = \"10.1.2.3\""] };
        var source = new PacSource("http://wpad/proxy.pac", engine, null, time: new ManualTimestamps());
        Assert.Equal(
            ["FindProxyForURL(\"https://[::1]:8443/\", \"::1\") = \"PROXY p:1\"", "dnsResolve(\"intranet\") = \"10.1.2.3\""],
            source.Trace(new Uri("https://[::1]:8443/secret?q=1"), "::1"));
        Assert.Equal(
            ["FindProxyForURL(\"http://example.com/a?b=1\", \"example.com\") = \"PROXY p:1\"", "dnsResolve(\"intranet\") = \"10.1.2.3\""],
            source.Trace(new Uri("http://example.com/a?b=1#frag"), "example.com"));
    }

    private static ProxyDecision Ask(PacSource source, string url)
    {
        var uri = new Uri(url);
        return source.Resolve(uri, uri.IdnHost);
    }

    private static (PacSource Source, SwappableEngine Engine, ManualTimestamps Clock) Create(Func<string, string, string> answer, TimeSpan? duration = null)
    {
        var engine = new SwappableEngine(answer);
        var clock = new ManualTimestamps();
        return (new PacSource("http://wpad/proxy.pac", engine, null, duration, time: clock), engine, clock);
    }

    /// <summary>Timestamps the test moves (1 tick = 1 µs); the wall clock is not used by the cache.</summary>
    private sealed class ManualTimestamps : TimeProvider
    {
        private long _now = 1_000_000;

        public override long TimestampFrequency => 1_000_000;

        public override long GetTimestamp() => _now;

        public void Advance(TimeSpan by) => _now += (long)Math.Round(by.TotalSeconds * TimestampFrequency);
    }

    /// <summary>An engine whose current script the test can swap; counts loads and calls.</summary>
    private sealed class SwappableEngine(Func<string, string, string> answer) : IProxyAutoConfig
    {
        private Script _current = new(answer);

        public int Loads { get; private set; }

        public List<(string Url, string Host)> Calls { get; } = [];

        public Exception? LoadFailure { get; init; }

        public IReadOnlyList<string> Helpers { get; init; } = [];

        public void Swap(Func<string, string, string> next) => _current = new Script(next);

        public IProxyAutoConfigScript Load(string pacUrl)
        {
            Loads++;
            if (LoadFailure is { } failure)
            {
                throw failure;
            }

            _current.Owner = this;
            return _current;
        }

        private sealed class Script(Func<string, string, string> answer) : IProxyAutoConfigScript
        {
            public SwappableEngine? Owner { get; set; }

            public string FindProxyForUrl(string url, string host)
            {
                Owner!.Calls.Add((url, host));
                return answer(url, host);
            }

            public string FindProxyForUrl(string url, string host, ICollection<string> trace)
            {
                string result = answer(url, host);
                foreach (string line in Owner!.Helpers)
                {
                    trace.Add(line);
                }

                return result;
            }
        }
    }
}
