using System.Globalization;

namespace ProxyNet.Resolution;

/// <summary>
/// The Public Suffix List (publicsuffix.org): the names under which anyone may register a domain (<c>com</c>,
/// <c>co.uk</c>, <c>github.io</c>). WPAD never asks at or above one, so <c>eng.example.co.uk</c> never fetches a
/// script from whoever registered <c>wpad.co.uk</c>. The rules are the system's copy
/// (<c>/usr/share/publicsuffix/public_suffix_list.dat</c>, Debian's <c>publicsuffix</c> package, kept current by the
/// OS) when it exists and reads, else the copy embedded in this assembly. Both the ICANN and the private sections
/// count: a private suffix is just as open to strangers.
/// </summary>
internal sealed class PublicSuffixList
{
    internal const string SystemPath = "/usr/share/publicsuffix/public_suffix_list.dat";

    private static readonly Lazy<PublicSuffixList> Loaded = new(Load);

    private readonly HashSet<string> _rules = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _wildcards = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _exceptions = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The system's list, or the embedded copy.</summary>
    public static PublicSuffixList Default => Loaded.Value;

    /// <summary>Where the rules came from, for explanations.</summary>
    public string Source { get; private init; } = "embedded";

    public int Count => _rules.Count + _wildcards.Count + _exceptions.Count;

    /// <summary>Reads the list's text: one rule a line, <c>//</c> comments, <c>*.</c> wildcards, <c>!</c> exceptions; Unicode rules in punycode.</summary>
    public static PublicSuffixList Parse(IEnumerable<string> lines, string source)
    {
        var list = new PublicSuffixList { Source = source };
        var idn = new IdnMapping();
        foreach (string raw in lines)
        {
            string line = raw.Trim();
            int space = line.IndexOfAny([' ', '\t']);
            if (space >= 0)
            {
                line = line[..space];
            }

            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            var (set, name) = line[0] == '!' ? (list._exceptions, line[1..])
                : line.StartsWith("*.", StringComparison.Ordinal) ? (list._wildcards, line[2..])
                : (list._rules, line);
            try
            {
                set.Add(idn.GetAscii(name).ToLowerInvariant());
            }
            catch (ArgumentException)
            {
                // A rule that has no ASCII form cannot match a DNS name: nothing to keep.
            }
        }

        return list;
    }

    /// <summary>
    /// How many labels at the end of <paramref name="labels"/> (lower-case ASCII) form its public suffix: the longest
    /// matching rule, an exception rule first, and a name no rule knows has its last label as the suffix.
    /// </summary>
    public int SuffixLabels(IReadOnlyList<string> labels)
    {
        int n = labels.Count;
        for (int i = 0; i < n; i++)
        {
            if (_exceptions.Contains(Join(labels, i)))
            {
                return n - i - 1;
            }
        }

        for (int i = 0; i < n; i++)
        {
            if (_rules.Contains(Join(labels, i)) || (i + 1 < n && _wildcards.Contains(Join(labels, i + 1))))
            {
                return n - i;
            }
        }

        return Math.Min(1, n);
    }

    private static string Join(IReadOnlyList<string> labels, int from) => string.Join('.', labels.Skip(from));

    private static PublicSuffixList Load()
    {
        try
        {
            if (File.Exists(SystemPath))
            {
                var system = Parse(File.ReadLines(SystemPath), SystemPath);
                if (system.Count > 1000)
                {
                    return system;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Unreadable: the embedded copy decides.
        }

        using var stream = typeof(PublicSuffixList).Assembly.GetManifestResourceStream("ProxyNet.public_suffix_list.dat")
            ?? throw new InvalidOperationException("the embedded Public Suffix List is missing from Proxy.Net.dll");
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return Parse(lines, "embedded");
    }
}
