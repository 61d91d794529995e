using System.Globalization;
using ProxyNet.Bypass;

namespace ProxyNet.Drivers;

/// <summary>
/// The <c>adbc.proxy_options.*</c> properties of the Databricks and Apache (Spark, Hive, Impala) ADBC drivers for .NET.
/// <c>proxy_ignore_list</c> is comma-separated; the driver escapes each entry (<c>Regex.Escape</c>), turns <c>*</c> into
/// <c>.*</c> and <c>?</c> into <c>.</c>, anchors it, and .NET's <c>WebProxy</c> matches it against <c>scheme://host[:port]</c>.
/// </summary>
internal sealed class DatabricksAdbcGrammar : DriverGrammar
{
    public const string Prefix = "adbc.proxy_options.";

    public static readonly DatabricksAdbcGrammar Instance = new();

    public override string Name => "the Databricks ADBC driver";

    public override string BypassKey => Prefix + "proxy_ignore_list";

    public override char Separator => ',';

    public override string PasswordKey => Prefix + "proxy_pwd";

    public override IEnumerable<KeyValuePair<string, string>> Off() => [new(Prefix + "use_proxy", "false")];

    public override IEnumerable<KeyValuePair<string, string>> On(string host, int port, string? user, string? password, string? bypass)
    {
        yield return new(Prefix + "use_proxy", "true");
        yield return new(Prefix + "proxy_host", host);
        yield return new(Prefix + "proxy_port", port.ToString(CultureInfo.InvariantCulture));
        if (user is not null)
        {
            yield return new(Prefix + "proxy_auth", "true");
            yield return new(Prefix + "proxy_uid", user);
            yield return new(Prefix + "proxy_pwd", password ?? string.Empty);
        }

        if (bypass is not null)
        {
            yield return new(Prefix + "proxy_ignore_list", bypass);
        }
    }

    public override IReadOnlyList<string>? Translate(ParsedEntry entry, out string? problem)
    {
        problem = null;
        switch (entry.Kind)
        {
            case BypassEntryKind.All:
                return ["*"];
            case BypassEntryKind.Domain:
                return UrlPatterns(entry.Domain!, self: true, subdomains: true, entry.Port);
            case BypassEntryKind.Subdomains:
                return UrlPatterns(entry.Domain!, self: false, subdomains: true, entry.Port);
            case BypassEntryKind.IPv4 or BypassEntryKind.IPv6 when IsSingleAddress(entry):
                return UrlPatterns(IpText(entry), self: true, subdomains: false, entry.Port);
            default:
                problem = "is an address range (CIDR), which proxy_ignore_list patterns cannot say";
                return null;
        }
    }
}
