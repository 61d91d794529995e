using System.Globalization;
using ProxyNet.Bypass;

namespace ProxyNet.Drivers;

/// <summary>
/// The Snowflake .NET connector's keys. Its <c>NONPROXYHOSTS</c> is <c>|</c>-separated; the connector turns each entry
/// into a regular expression by writing <c>.</c> as <c>[.]</c> and <c>*</c> as <c>.*</c> and anchoring it, and .NET's
/// <c>WebProxy</c> matches that against <c>scheme://host[:port]</c> (hence "the value must match the full URL
/// including scheme" in its documentation). Nothing else is escaped, so the brackets of an IPv6 address cannot be written.
/// </summary>
internal sealed class SnowflakeGrammar : DriverGrammar
{
    public static readonly SnowflakeGrammar Instance = new();

    public override string Name => "the Snowflake .NET connector";

    public override string BypassKey => "NONPROXYHOSTS";

    public override char Separator => '|';

    public override string PasswordKey => "PROXYPASSWORD";

    public override IEnumerable<KeyValuePair<string, string>> Off() => [new("USEPROXY", "false")];

    public override IEnumerable<KeyValuePair<string, string>> On(string host, int port, string? user, string? password, string? bypass)
    {
        yield return new("USEPROXY", "true");
        yield return new("PROXYHOST", host);
        yield return new("PROXYPORT", port.ToString(CultureInfo.InvariantCulture));
        if (user is not null)
        {
            yield return new("PROXYUSER", user);
            yield return new("PROXYPASSWORD", password ?? string.Empty);
        }

        if (bypass is not null)
        {
            yield return new("NONPROXYHOSTS", bypass);
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
            case BypassEntryKind.IPv4 when IsSingleAddress(entry):
                return UrlPatterns(IpText(entry), self: true, subdomains: false, entry.Port);
            case BypassEntryKind.IPv6 when IsSingleAddress(entry):
                problem = "is an IPv6 address, whose brackets NONPROXYHOSTS reads as a regular expression";
                return null;
            default:
                problem = "is an address range (CIDR), which NONPROXYHOSTS patterns cannot say";
                return null;
        }
    }
}
