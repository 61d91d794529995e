namespace ProxyNet.Cli;

/// <summary>Flags and operands of one command line; unknown flags are a usage error (exit 2).</summary>
internal sealed class CliArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    public List<string> Operands { get; } = [];

    public static CliArguments Parse(IEnumerable<string> args, IReadOnlySet<string> flags, IReadOnlySet<string> valued)
    {
        var result = new CliArguments();
        using var e = args.GetEnumerator();
        bool operandsOnly = false;
        while (e.MoveNext())
        {
            string arg = e.Current;
            if (operandsOnly || !arg.StartsWith('-') || arg == "-")
            {
                result.Operands.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                operandsOnly = true;
                continue;
            }

            string name = arg;
            string? value = null;
            int eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                name = arg[..eq];
                value = arg[(eq + 1)..];
            }

            if (flags.Contains(name) && value is null)
            {
                result._options[name] = null;
            }
            else if (valued.Contains(name))
            {
                if (value is null)
                {
                    if (!e.MoveNext())
                    {
                        throw new UsageException($"{name} needs a value");
                    }

                    value = e.Current;
                }

                result._options[name] = value;
            }
            else
            {
                throw new UsageException($"unknown option '{arg}'");
            }
        }

        return result;
    }

    public bool Has(string name) => _options.ContainsKey(name);

    public string? Value(string name) => _options.TryGetValue(name, out string? value) ? value : null;
}

/// <summary>Bad command-line usage: exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
