namespace ProxyNet.Tests.Resolution;

/// <summary>Builds a fake environment from "NAME=value|NAME=value" (a value may contain '=').</summary>
internal static class Env
{
    public static Func<string, string?> Parse(string spec)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in spec.Split('|', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=');
            variables[pair[..eq]] = pair[(eq + 1)..];
        }

        return name => variables.GetValueOrDefault(name);
    }
}
