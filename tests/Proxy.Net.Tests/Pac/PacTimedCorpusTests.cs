using System.Globalization;
using System.Text.Json;
using ProxyNet.Pac;
using ProxyNet.Resolution;
using ProxyNet.Tests.Cli;

namespace ProxyNet.Tests.Pac;

/// <summary>
/// The time-dependent corpus (Pac/Corpus/Timed: weekdayRange, dateRange, timeRange with and without GMT, and the
/// Microsoft Ex helpers) × urls.txt × fixed instants. pacparser runs under libfaketime (Debian faketime) in a UTC+2
/// zone; our engine gets the same instant from an injected clock in the same zone; the tool runs under libfaketime
/// as a black-box harness would run it. Ranges that wrap (FRI..MON) are left to <see cref="PacDeviationTests"/>:
/// pacparser never wraps, browsers do.
/// </summary>
public sealed class PacTimedCorpusTests
{
    /// <summary>
    /// Local times in UTC+2. None falls in the first or last minute of a four-argument timeRange of the corpus:
    /// pacparser builds those bounds from the current time with only hours and minutes replaced, so inside that
    /// minute its answer depends on which Date it made first.
    /// </summary>
    /// <remarks>Local times in UTC+2: a Monday morning, a Saturday night, a summer noon, New Year's night, Christmas morning, a Sunday 02:xx GMT.</remarks>
    private static readonly string[] Instants =
    [
        "2026-12-07 09:30:20", "2026-12-05 23:15:00", "2026-07-15 12:10:00", "2027-01-01 00:30:00", "2026-12-25 08:05:00",
        "2026-12-06 05:10:00", "2027-03-02 13:58:30",
    ];

    private static readonly string Timed = Path.Combine(PacCorpusTests.Corpus, "Timed");

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string script in Directory.GetFiles(Timed, "*.pac").Select(f => Path.GetFileName(f)).Order())
        {
            foreach (string at in Instants)
            {
                data.Add(script, at);
            }
        }

        return data;
    }

    public static TheoryData<string> Scripts() => [.. Directory.GetFiles(Timed, "*.pac").Select(f => Path.GetFileName(f)).Order()];

    [Fact]
    public void Every_time_helper_and_Ex_helper_is_in_the_timed_corpus()
    {
        string all = string.Concat(Directory.GetFiles(Timed, "*.pac").Select(File.ReadAllText));
        foreach (string helper in new[] { "weekdayRange(", "dateRange(", "timeRange(", "\"GMT\"", "isResolvableEx(", "isInNetEx(", "dnsResolveEx(" })
        {
            Assert.Contains(helper, all, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Our_answers_agree_with_pacparser_at_a_fixed_time(string name, string at)
    {
        string path = Path.Combine(Timed, name);
        var inputs = Inputs(out _);
        var expected = PacCorpusTests.Pacparser(path, inputs, at: at);
        var clock = new FakeClock(Local(at));
        using var pac = new ProxyAutoConfig(new PacOptions { CallTimeout = TimeSpan.FromSeconds(5) }, new PacCorpusTests.MachineDns(), clock);
        var script = pac.Compile(path, File.ReadAllText(path));
        for (int i = 0; i < inputs.Count; i++)
        {
            string ours = script.FindProxyForUrl(inputs[i].Url, inputs[i].Host);
            Assert.True(expected[i] == ours, $"{name} at {at} {inputs[i].Url}: pacparser says '{expected[i]}', we say '{ours}'");
        }
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Proxynet_resolve_json_pac_under_faketime_agrees_with_pacparser(string name)
    {
        const string at = "2026-12-07 09:30:20";
        string path = Path.Combine(Timed, name);
        var inputs = Inputs(out var urls);
        var expected = PacCorpusTests.Pacparser(path, inputs, at: at);
        Assert.True(File.Exists(PacCorpusTests.FakeTime), $"the time-dependent corpus needs {PacCorpusTests.FakeTime} (apt-get install faketime)");
        string environment = string.Join('|', PacCorpusTests.TimedEnvironment.Select(p => $"{p.Key}={p.Value}"));

        var (exit, stdout, stderr) = await CliRunner.RunUnderAsync([PacCorpusTests.FakeTime, "-f", at], environment, ["resolve", "--json", "--pac", path, .. urls]);

        Assert.True(exit == 0, $"{name}: exit {exit}: {stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(urls.Count, lines.Length);
        for (int i = 0; i < urls.Count; i++)
        {
            using var json = JsonDocument.Parse(lines[i]);
            Assert.Equal($"PAC FindProxyForURL returned \"{expected[i]}\"", json.RootElement.GetProperty("reason").GetString());
        }
    }

    private static DateTimeOffset Local(string at) =>
        new(DateTime.ParseExact(at, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), FakeClock.Zone.BaseUtcOffset);

    private static List<(string Url, string Host)> Inputs(out List<string> urls)
    {
        urls = [.. File.ReadAllLines(Path.Combine(PacCorpusTests.Corpus, "urls.txt")).Where(l => l.Length > 0)];
        return [.. urls.Select(l => new Uri(l)).Select(u =>
        {
            Assert.True(HostNames.TryGetIdnHost(u, out string host));
            return (Url: PacSource.ScriptUrl(u, host, u.Scheme == "https"), Host: host);
        })];
    }
}
