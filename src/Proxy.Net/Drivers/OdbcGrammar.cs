using System.Globalization;
using ProxyNet.Bypass;

namespace ProxyNet.Drivers;

/// <summary>
/// The proxy keys of the Simba-built ODBC drivers (Simba Spark, Databricks ODBC): <c>UseProxy=1</c>, <c>ProxyHost</c>,
/// <c>ProxyPort</c>, <c>ProxyUID</c>, <c>ProxyPWD</c>, and <c>ProxyIgnoreList</c>, comma-separated host names and IPv4
/// addresses with <c>*.domain</c> wildcards. It has no way to name a port, an IPv6 address or a range.
/// </summary>
internal sealed class OdbcGrammar : DriverGrammar
{
    public static readonly OdbcGrammar Instance = new();

    public override string Name => "the ODBC driver";

    public override string BypassKey => "ProxyIgnoreList";

    public override char Separator => ',';

    public override string PasswordKey => "ProxyPWD";

    public override bool OdbcQuoting => true;

    // A native driver's proxy login is not .NET's HttpClientHandler: only Basic is certain.
    public override bool AnswersNegotiateWithPassword => false;

    public override IEnumerable<KeyValuePair<string, string>> Off() => [new("UseProxy", "0")];

    public override IEnumerable<KeyValuePair<string, string>> On(string host, int port, string? user, string? password, string? bypass)
    {
        yield return new("UseProxy", "1");
        yield return new("ProxyHost", host);
        yield return new("ProxyPort", port.ToString(CultureInfo.InvariantCulture));
        if (user is not null)
        {
            yield return new("ProxyUID", user);
            yield return new("ProxyPWD", password ?? string.Empty);
        }

        if (bypass is not null)
        {
            yield return new("ProxyIgnoreList", bypass);
        }
    }

    public override IReadOnlyList<string>? Translate(ParsedEntry entry, out string? problem)
    {
        problem = null;
        if (entry.Port != 0)
        {
            problem = "names a port, which ProxyIgnoreList cannot say";
            return null;
        }

        switch (entry.Kind)
        {
            case BypassEntryKind.All:
                return ["*"];
            case BypassEntryKind.Domain:
                return [entry.Domain!, $"*.{entry.Domain}"];
            case BypassEntryKind.Subdomains:
                return [$"*.{entry.Domain}"];
            case BypassEntryKind.IPv4 when IsSingleAddress(entry):
                return [IpText(entry)];
            case BypassEntryKind.IPv6 when IsSingleAddress(entry):
                problem = "is an IPv6 address, which ProxyIgnoreList has no documented spelling for";
                return null;
            default:
                problem = "is an address range (CIDR), which ProxyIgnoreList cannot say";
                return null;
        }
    }
}
