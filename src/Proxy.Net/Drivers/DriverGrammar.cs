using System.Globalization;
using System.Net;
using ProxyNet.Bypass;

namespace ProxyNet.Drivers;

/// <summary>
/// What one driver's proxy settings can say: its key names, how it spells a bypass entry, and which routes it cannot
/// take at all. One instance per <see cref="ProxyDriver"/>, stateless.
/// </summary>
internal abstract class DriverGrammar
{
    /// <summary>The driver as a message names it.</summary>
    public abstract string Name { get; }

    /// <summary>The key that carries the bypass list, as a warning names it.</summary>
    public abstract string BypassKey { get; }

    /// <summary>The separator of <see cref="BypassKey"/>'s entries.</summary>
    public abstract char Separator { get; }

    /// <summary>The key that carries the proxy password (masked by <see cref="DriverProxySettings.ToString"/>).</summary>
    public abstract string PasswordKey { get; }

    /// <summary>True when a connection string of this driver quotes values as ODBC does (<c>{…}</c>).</summary>
    public virtual bool OdbcQuoting => false;

    /// <summary>
    /// True when the driver answers a Negotiate or NTLM challenge with the user name and password it is given (the .NET
    /// drivers hand them to <c>HttpClientHandler</c>, which does).
    /// </summary>
    public virtual bool AnswersNegotiateWithPassword => true;

    /// <summary>The keys that turn the proxy off.</summary>
    public abstract IEnumerable<KeyValuePair<string, string>> Off();

    /// <summary>The keys for the proxy at <paramref name="host"/>:<paramref name="port"/>, its login (user and password, or none) and the bypass list (or none).</summary>
    public abstract IEnumerable<KeyValuePair<string, string>> On(string host, int port, string? user, string? password, string? bypass);

    /// <summary>The driver's patterns for one parsed NO_PROXY entry, or null with the reason it has none.</summary>
    public abstract IReadOnlyList<string>? Translate(ParsedEntry entry, out string? problem);

    public static DriverGrammar For(ProxyDriver driver) => driver switch
    {
        ProxyDriver.Snowflake => SnowflakeGrammar.Instance,
        ProxyDriver.DatabricksAdbc => DatabricksAdbcGrammar.Instance,
        ProxyDriver.Odbc => OdbcGrammar.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(driver), driver, "not a ProxyDriver"),
    };

    /// <summary>
    /// Patterns for a .NET <c>WebProxy.BypassList</c> reached through a driver that turns <c>*</c> into <c>.*</c> and
    /// anchors the pattern: WebProxy matches them against <c>scheme://host</c> (<c>scheme://host:port</c> off the
    /// default port), so a bare host never matches, the scheme part is written as <c>*://</c>, and an entry for every port
    /// also gets a <c>:*</c> form.
    /// </summary>
    protected static IReadOnlyList<string> UrlPatterns(string host, bool self, bool subdomains, int port)
    {
        // An entry for port 443 or 80 is the default port of https or http, where WebProxy writes no port.
        string scheme = port switch { 443 => "https://", 80 => "http://", _ => "*://" };
        string suffix = port is 0 or 80 or 443 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $":{port}");
        var patterns = new List<string>(4);
        if (self)
        {
            patterns.Add($"{scheme}{host}{suffix}");
        }

        if (subdomains)
        {
            patterns.Add(port is 80 or 443 ? $"{scheme}*.{host}" : $"*.{host}{suffix}");
        }

        // An entry without a port matches every port: WebProxy then writes ":port" after the host.
        if (port == 0)
        {
            patterns.AddRange(patterns.ToList().Select(p => p + ":*"));
        }

        return patterns;
    }

    /// <summary>An IP literal of a parsed entry as a URL host writes it (IPv6 in brackets).</summary>
    protected static string IpText(ParsedEntry entry)
    {
        if (entry.Kind == BypassEntryKind.IPv4)
        {
            var quad = new byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(quad, (uint)entry.Address);
            return new IPAddress(quad).ToString();
        }

        var bytes = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, entry.Address);
        return $"[{new IPAddress(bytes)}]";
    }

    /// <summary>True for an entry that names one address (not a range).</summary>
    protected static bool IsSingleAddress(ParsedEntry entry) =>
        entry.PrefixLength == (entry.Kind == BypassEntryKind.IPv4 ? 32 : 128);
}
