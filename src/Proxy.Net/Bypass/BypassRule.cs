using ProxyNet.Resolution;

namespace ProxyNet.Bypass;

/// <summary>One parsed NO_PROXY entry; <see cref="Index"/> keeps the written order so the first entry wins.</summary>
internal sealed class BypassRule
{
    public BypassRule(int index, string entry, string source, int port)
    {
        Index = index;
        Entry = entry;
        Port = port;
        Decision = ProxyDecision.Bypass($"{source} entry {entry}", entry);
    }

    public int Index { get; }

    /// <summary>The entry as written (trimmed).</summary>
    public string Entry { get; }

    /// <summary>The port the entry is limited to, or 0 for any port.</summary>
    public int Port { get; }

    /// <summary>The DIRECT decision this rule produces, built once.</summary>
    public ProxyDecision Decision { get; }

    public bool AppliesTo(int port) => Port == 0 || Port == port;
}
