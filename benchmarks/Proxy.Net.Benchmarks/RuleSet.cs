using System.Globalization;

namespace ProxyNet.Benchmarks;

/// <summary>
/// A deterministic NO_PROXY rule set (fixed seed) of mixed entries, and 64 lookup URLs, half of them hits.
/// Each entry also has the regular expression a user would write for <see cref="System.Net.WebProxy.BypassList"/>.
/// </summary>
internal sealed class RuleSet
{
    private RuleSet(List<string> entries, List<string> regexes, Uri[] lookups)
    {
        Entries = entries;
        Regexes = regexes;
        Lookups = lookups;
    }

    public IReadOnlyList<string> Entries { get; }

    public IReadOnlyList<string> Regexes { get; }

    public Uri[] Lookups { get; }

    public string NoProxy => string.Join(",", Entries);

    public static RuleSet Create(int count, int lookups = 64)
    {
        var random = new Random(20261123);
        var entries = new List<string>(count);
        var regexes = new List<string>(count);
        var hits = new List<Uri>(count);
        for (int i = 0; i < count; i++)
        {
            int a = random.Next(256), b = random.Next(256), c = random.Next(1, 255);
            switch (i % 8)
            {
                case 0:
                    entries.Add($"zone{i}.example.com");
                    regexes.Add($@"^https?://(.*\.)?zone{i}\.example\.com(:\d+)?$");
                    hits.Add(new Uri($"http://www.zone{i}.example.com/"));
                    break;
                case 1:
                    entries.Add($".team{i}.corp");
                    regexes.Add($@"^https?://(.*\.)?team{i}\.corp(:\d+)?$");
                    hits.Add(new Uri($"https://git.team{i}.corp/"));
                    break;
                case 2:
                    entries.Add($"host{i}.svc.internal");
                    regexes.Add($@"^https?://host{i}\.svc\.internal(:\d+)?$");
                    hits.Add(new Uri($"http://host{i}.svc.internal/"));
                    break;
                case 3:
                    entries.Add($"10.{a}.{b}.{c}");
                    regexes.Add($@"^https?://10\.{a}\.{b}\.{c}(:\d+)?$");
                    hits.Add(new Uri($"http://10.{a}.{b}.{c}/"));
                    break;
                case 4:
                    entries.Add($"fd00::{i:x}");
                    regexes.Add($@"^https?://\[fd00::{i:x}\](:\d+)?$");
                    hits.Add(new Uri($"http://[fd00::{i:x}]/"));
                    break;
                case 5:
                    entries.Add($"172.{16 + (a % 16)}.{b}.0/24");
                    regexes.Add($@"^https?://172\.{16 + (a % 16)}\.{b}\.\d+(:\d+)?$");
                    hits.Add(new Uri($"http://172.{16 + (a % 16)}.{b}.{c}/"));
                    break;
                case 6:
                    entries.Add($"fd{a:x2}:{i:x}::/32");
                    regexes.Add($@"^https?://\[fd{a:x2}:{i:x}:[0-9a-f:]*\](:\d+)?$");
                    hits.Add(new Uri($"http://[fd{a:x2}:{i:x}::{c:x}]/"));
                    break;
                default:
                    entries.Add($"api{i}.vendor.net:8443");
                    regexes.Add($@"^https?://(.*\.)?api{i}\.vendor\.net:8443$");
                    hits.Add(new Uri($"https://api{i}.vendor.net:8443/"));
                    break;
            }
        }

        var uris = new Uri[lookups];
        for (int i = 0; i < lookups; i++)
        {
            uris[i] = i % 2 == 0
                ? hits[random.Next(hits.Count)]
                : (i / 2 % 4) switch
                {
                    0 => new Uri($"https://miss{i}.example.org/"),
                    1 => new Uri($"http://11.{random.Next(256)}.{random.Next(256)}.{random.Next(1, 255)}/"),
                    2 => new Uri(string.Create(CultureInfo.InvariantCulture, $"http://[2001:db8::{i:x}]/")),
                    _ => new Uri($"https://deep.path.of.labels.miss{i}.internal.example/"),
                };
        }

        return new RuleSet(entries, regexes, uris);
    }

    /// <summary>
    /// <paramref name="count"/> entries in the mix of <see cref="Create"/>, but named as large companies name things:
    /// numbered hosts, numbered subdomains, long shared prefixes and suffixes, numbered addresses, so that names
    /// differ only in a few middle characters (the case a hash of a label's ends alone turned into a linear scan).
    /// Half the lookups are hits; the misses are near misses of the same patterns.
    /// </summary>
    public static RuleSet CreatePatterned(int count, int lookups = 64)
    {
        var random = new Random(20261124);
        var entries = new List<string>(count);
        var hits = new List<Uri>(count);
        for (int i = 0; i < count; i++)
        {
            switch (i % 8)
            {
                case 0:
                    entries.Add($"app-{i:D5}-prod.corp.example");
                    hits.Add(new Uri($"https://www.app-{i:D5}-prod.corp.example/"));
                    break;
                case 1:
                    entries.Add($".node{i:D5}.k8s.internal");
                    hits.Add(new Uri($"http://api.node{i:D5}.k8s.internal/"));
                    break;
                case 2:
                    entries.Add($"shared-platform-service-prefix-{i:D5}-instance.svc.internal");
                    hits.Add(new Uri($"http://shared-platform-service-prefix-{i:D5}-instance.svc.internal/"));
                    break;
                case 3:
                    entries.Add($"10.{i >> 16}.{(i >> 8) & 255}.{i & 255}");
                    hits.Add(new Uri($"http://10.{i >> 16}.{(i >> 8) & 255}.{i & 255}/"));
                    break;
                case 4:
                    entries.Add($"fd00::{i:x}");
                    hits.Add(new Uri($"http://[fd00::{i:x}]/"));
                    break;
                case 5:
                    entries.Add($"172.{16 + (i >> 16)}.{(i >> 8) & 255}.0/24");
                    hits.Add(new Uri($"http://172.{16 + (i >> 16)}.{(i >> 8) & 255}.9/"));
                    break;
                case 6:
                    entries.Add($"fd01:{i:x}::/32");
                    hits.Add(new Uri($"http://[fd01:{i:x}::1]/"));
                    break;
                default:
                    entries.Add($"tenant-{i:D5}.apps.example:8443");
                    hits.Add(new Uri($"https://tenant-{i:D5}.apps.example:8443/"));
                    break;
            }
        }

        var uris = new Uri[lookups];
        for (int i = 0; i < lookups; i++)
        {
            int n = count + random.Next(count + 1);
            uris[i] = i % 2 == 0
                ? hits[random.Next(hits.Count)]
                : (i / 2 % 4) switch
                {
                    0 => new Uri($"https://app-{n:D5}-prod.corp.example/"),
                    1 => new Uri($"http://11.{n >> 16}.{(n >> 8) & 255}.{n & 255}/"),
                    2 => new Uri($"http://[fd02::{n:x}]/"),
                    _ => new Uri($"http://shared-platform-service-prefix-{n:D5}-instance.svc.internal/"),
                };
        }

        return new RuleSet(entries, [], uris);
    }
}
