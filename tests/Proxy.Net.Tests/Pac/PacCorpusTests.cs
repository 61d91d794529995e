using System.Diagnostics;
using System.Net;
using ProxyNet.Pac;
using ProxyNet.Resolution;

namespace ProxyNet.Tests.Pac;

/// <summary>
/// The corpus under Pac/Corpus (scripts × urls.txt) answered by pacparser, the reference (Debian python3-pacparser),
/// and by our engine, with the same myIpAddress and the same DNS: the URLs name only IP literals, <c>localhost</c> and
/// reserved names that never resolve (<c>.example</c>, <c>.test</c>, <c>.invalid</c>), so pacparser's machine DNS and our
/// table agree without a network. The time-dependent scripts are in Corpus/Timed (PacTimedCorpusTests: pacparser under
/// libfaketime, our engine with an injected clock).
/// </summary>
public sealed class PacCorpusTests
{
    private const string MyIp = "10.20.30.40";
    internal static readonly string Corpus = Path.Combine(AppContext.BaseDirectory, "Pac", "Corpus");

    public static TheoryData<string> Scripts() => [.. Directory.GetFiles(Corpus, "*.pac").Select(f => Path.GetFileName(f)).Order()];

    [Fact]
    public void The_corpus_has_at_least_30_scripts() => Assert.True(Scripts().Count >= 30);

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Our_answers_agree_with_pacparser(string name)
    {
        string path = Path.Combine(Corpus, name);
        var inputs = File.ReadAllLines(Path.Combine(Corpus, "urls.txt"))
            .Where(l => l.Length > 0)
            .Select(l => new Uri(l))
            .Select(u =>
            {
                Assert.True(HostNames.TryGetIdnHost(u, out string host));
                return (Url: PacSource.ScriptUrl(u, host, u.Scheme == "https"), Host: host);
            })
            .ToList();

        var expected = Pacparser(path, inputs);
        using var pac = new ProxyAutoConfig(new PacOptions { CallTimeout = TimeSpan.FromSeconds(5) }, new MachineDns());
        var script = pac.Compile(path, File.ReadAllText(path));
        for (int i = 0; i < inputs.Count; i++)
        {
            string ours;
            try
            {
                ours = script.FindProxyForUrl(inputs[i].Url, inputs[i].Host);
            }
            catch (ProxyConfigurationException e)
            {
                ours = "ERROR " + e.Message;
            }

            Assert.True(expected[i] == ours, $"{name} {inputs[i].Url}: pacparser says '{expected[i]}', we say '{ours}'");
        }
    }

    /// <summary>pacparser's answers; with <paramref name="at"/>, run under libfaketime at that local time in <see cref="TimedZone"/>.</summary>
    internal static List<string> Pacparser(string script, List<(string Url, string Host)> inputs, string myIp = MyIp, string? at = null)
    {
        const string python = "/usr/bin/python3";
        Assert.True(File.Exists(python), "the reference needs Debian's /usr/bin/python3 with python3-pacparser (apt-get install python3-pacparser)");
        string[] command = [python, Path.Combine(Corpus, "pacparser_answers.py"), script, myIp];
        if (at is not null)
        {
            Assert.True(File.Exists(FakeTime), $"the time-dependent corpus needs {FakeTime} (apt-get install faketime)");
            command = [FakeTime, "-f", at, .. command];
        }

        var start = new ProcessStartInfo(command[0], command[1..])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (at is not null)
        {
            foreach (var (key, value) in TimedEnvironment)
            {
                start.Environment[key] = value;
            }
        }

        using var process = Process.Start(start)!;
        foreach (var (url, host) in inputs)
        {
            process.StandardInput.Write($"{url}\t{host}\n");
        }

        process.StandardInput.Close();
        var lines = new List<string>();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0 && lines.Count == inputs.Count, $"pacparser failed (exit {process.ExitCode}): {errors}");
        return lines;
    }

    internal const string FakeTime = "/usr/bin/faketime";

    /// <summary>The time zone of the time-dependent corpus: UTC+2 without daylight saving, so local time and GMT differ.</summary>
    internal const string TimedZone = "Etc/GMT-2";

    /// <summary>libfaketime's clock starts at the given time and runs on (the monotonic clock stays real).</summary>
    internal static readonly Dictionary<string, string> TimedEnvironment = new() { ["TZ"] = TimedZone, ["FAKETIME_DONT_FAKE_MONOTONIC"] = "1" };

    /// <summary>What the machine's DNS says for the corpus names: only localhost resolves; the same fixed myIpAddress pacparser is given.</summary>
    internal sealed class MachineDns : IPacHostResolver
    {
        public IReadOnlyList<IPAddress> Resolve(string host) => host == "localhost" ? [IPAddress.Loopback] : [];

        public IReadOnlyList<IPAddress> GetLocalAddresses() => [IPAddress.Parse(MyIp)];
    }
}
