using System.Text;
using ProxyNet.Pac;
using ProxyNet.Resolution;

namespace ProxyNet.Tests.Pac;

/// <summary>
/// Random and mutated input for the two PAC parsers: the answer reader (whatever a script returns) and the script
/// engine (whatever a server sends). Each input ends in a decision or a configuration error in words, never another
/// exception, a hang or an unbounded list. Fixed seeds: a failure names its input and repeats.
/// </summary>
public sealed class PacFuzzTests
{
    private static readonly string[] Words = ["PROXY", "proxy", "HTTPS", "SOCKS", "SOCKS4", "SOCKS5", "HTTP", "DIRECT", "direct", ";", " ", "\t", "\r\n", ":", "[", "]", "::1", "a.test", "3128", "99999", "-1", "@", "user:pw@", "http://", "%00", "\u0000", "\u001b[31m", "é", "xn--", "*", ".", ",", "\"", "0x7f"];

    [Fact]
    public void Random_answers_give_a_decision_or_an_error_and_never_more_than_sixteen_candidates()
    {
        var random = new Random(28);
        for (int n = 0; n < 20_000; n++)
        {
            string answer = n % 2 == 0 ? Assemble(random) : Mutate(random, "PROXY a.test:3128; HTTPS [::1]:443; SOCKS5 b.test:1080; DIRECT");
            var warnings = new List<string>();

            var decision = PacAnswer.Decide(answer, "fuzz.pac", "FindProxyForURL", warnings);

            Assert.True(decision.IsError || decision.Candidates.Count is > 0 and <= PacAnswer.MaxCandidates, $"input {n}: {Escape(answer)}");
            Assert.All(warnings, w => Assert.DoesNotContain("pw@", w, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Mutated_scripts_compile_and_answer_or_fail_in_words_within_their_limits()
    {
        string[] seeds =
        [
            "function FindProxyForURL(url, host) { if (isInNet(host, '10.0.0.0', '255.0.0.0')) return 'PROXY a:1'; return shExpMatch(host, '*.corp') ? 'DIRECT' : 'PROXY b:2; DIRECT'; }",
            "var n = 0; function FindProxyForURL(url, host) { n++; alert(url); return dnsDomainIs(host, '.example') ? 'SOCKS s:1080' : 'PROXY p' + (n % 3) + ':3128'; }",
            "function FindProxyForURLEx(url, host) { return weekdayRange('MON', 'FRI') && timeRange(8, 18) ? 'PROXY w:1' : 'DIRECT'; }",
        ];
        var options = new PacOptions { CallTimeout = TimeSpan.FromMilliseconds(200), MaxStatements = 100_000, MemoryLimit = 8L * 1024 * 1024 };
        using var pac = new ProxyAutoConfig(options, new FakeDns(new() { ["a.example"] = ["10.1.2.3"] }, "10.9.9.9"));
        var random = new Random(2028);

        await Task.Run(() =>
        {
            for (int n = 0; n < 1500; n++)
            {
                string text = Mutate(random, seeds[n % seeds.Length]);
                try
                {
                    var script = pac.Compile("fuzz.pac", text);
                    script.FindProxyForUrl("http://a.example/x", "a.example");
                }
                catch (ProxyConfigurationException e)
                {
                    Assert.StartsWith("PAC fuzz.pac: ", e.Message, StringComparison.Ordinal);
                    Assert.DoesNotContain(e.Message, c => c is '\r' or '\n' or '\u001b');
                }
            }
        }).WaitAsync(TimeSpan.FromMinutes(5));
    }

    private static string Assemble(Random random)
    {
        var text = new StringBuilder();
        for (int i = random.Next(1, 200); i > 0; i--)
        {
            text.Append(Words[random.Next(Words.Length)]);
        }

        return text.ToString();
    }

    /// <summary>Flips, deletes, duplicates and inserts characters and words of <paramref name="seed"/>.</summary>
    private static string Mutate(Random random, string seed)
    {
        var text = new StringBuilder(seed);
        for (int i = random.Next(1, 8); i > 0 && text.Length > 0; i--)
        {
            int at = random.Next(text.Length);
            switch (random.Next(5))
            {
                case 0:
                    text[at] = (char)random.Next(0, 0x300);
                    break;
                case 1:
                    text.Remove(at, Math.Min(random.Next(1, 10), text.Length - at));
                    break;
                case 2:
                    text.Insert(at, text.ToString(at, Math.Min(random.Next(1, 40), text.Length - at)));
                    break;
                case 3:
                    text.Insert(at, Words[random.Next(Words.Length)]);
                    break;
                default:
                    text.Insert(at, "while(1){}" [..random.Next(1, 11)]);
                    break;
            }
        }

        return text.ToString();
    }

    private static string Escape(string text) => string.Concat(text.Select(c => c < 0x20 || c > 0x7e ? $"\\u{(int)c:x4}" : c.ToString()));
}
