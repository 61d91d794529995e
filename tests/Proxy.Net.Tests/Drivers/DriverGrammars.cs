using System.Net;
using System.Text.RegularExpressions;
using ProxyNet.Drivers;
using ProxyNet.Resolution;

namespace ProxyNet.Tests.Drivers;

/// <summary>
/// The drivers' own reading of their bypass lists, as their sources do it, so a rendered list is checked by the
/// grammar that will read it: .NET's <see cref="WebProxy"/> with the patterns each driver builds.
/// </summary>
internal static class DriverGrammars
{
    /// <summary>Snowflake.Data's HttpUtil: split on '|', '.' → "[.]", '*' → ".*", anchored.</summary>
    public static WebProxy Snowflake(string nonProxyHosts) => new("proxy.corp", 3128)
    {
        BypassList = [.. nonProxyHosts.Split('|', StringSplitOptions.RemoveEmptyEntries).Select(e => Anchor(e.Trim().Replace(".", "[.]", StringComparison.Ordinal).Replace("*", ".*", StringComparison.Ordinal)))],
    };

    /// <summary>The ADBC HiveServer2ProxyConfigurator: split on ',', Regex.Escape, '*' → ".*", '?' → ".", anchored.</summary>
    public static WebProxy Adbc(string ignoreList) => new("proxy.corp", 3128)
    {
        BypassList = [.. ignoreList.Split(',').Select(e => e.Trim()).Where(e => e.Length > 0)
            .Select(e => "^" + Regex.Escape(e).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$")],
    };

    /// <summary>A resolver on options alone (no environment): HTTPS_PROXY and NO_PROXY as given.</summary>
    public static ProxyResolver Resolver(string httpsProxy, params string[] noProxy) => ProxyResolver.Create(new ProxyNetOptions
    {
        HttpsProxy = httpsProxy,
        HttpProxy = httpsProxy,
        ExcludedDomains = noProxy,
        UseEnvironment = false,
    });

    public static string? Value(DriverProxySettings settings, string key) =>
        settings.Values.Where(v => v.Key == key).Select(v => v.Value).FirstOrDefault();

    private static string Anchor(string entry) => (entry.StartsWith('^') ? entry : "^" + entry) + (entry.EndsWith('$') ? string.Empty : "$");
}
