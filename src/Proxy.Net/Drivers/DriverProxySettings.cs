using System.Data.Common;
using System.Net;
using System.Text;
using ProxyNet.Resolution;

namespace ProxyNet.Drivers;

/// <summary>
/// The proxy settings of a driver that takes one fixed proxy (<see cref="ProxyDriver"/>), rendered from the route
/// Proxy.Net decides for the driver's host: the key/value pairs, the NO_PROXY entries the driver's grammar cannot say,
/// and whether the route needs <c>proxynet serve</c> instead (and why).
/// </summary>
/// <example>
/// <code>
/// var settings = DriverProxySettings.For(ProxyResolver.FromEnvironment(), ProxyDriver.Snowflake, "acme.snowflakecomputing.com");
/// if (settings.ServeRecommended)
/// {
///     settings = settings.ThroughServe(new IPEndPoint(IPAddress.Loopback, 3128), serveToken);
/// }
///
/// var connection = new SnowflakeDbConnection($"account=acme;user=etl;{settings.ToConnectionString()}");
/// </code>
/// </example>
public sealed class DriverProxySettings
{
    private readonly DriverGrammar _grammar;

    internal DriverProxySettings(
        ProxyDriver driver,
        Uri url,
        ProxyDecision route,
        IReadOnlyList<KeyValuePair<string, string>> values,
        IReadOnlyList<string> warnings,
        IReadOnlyList<string> serveReasons)
    {
        _grammar = DriverGrammar.For(driver);
        Driver = driver;
        Url = url;
        Route = route;
        Values = values;
        Warnings = warnings;
        ServeReasons = serveReasons;
    }

    /// <summary>The driver these settings are written for.</summary>
    public ProxyDriver Driver { get; }

    /// <summary>The URL whose route was rendered: <c>https://HOST/</c> for the host given.</summary>
    public Uri Url { get; }

    /// <summary>The route Proxy.Net decides for <see cref="Url"/> (what <c>proxynet resolve</c> prints).</summary>
    public ProxyDecision Route { get; }

    /// <summary>
    /// The driver's keys and values, in order: the proxy with its login and bypass list, or the key that turns the proxy
    /// off when the route is DIRECT. Empty when the driver cannot take the route at all (a SOCKS or <c>https://</c>
    /// proxy, a login without a password): then <see cref="ServeRecommended"/> is true. Holds the password in the clear.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Values { get; }

    /// <summary>One line per NO_PROXY entry the driver's bypass list cannot say, naming the entry; the driver proxies those hosts.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>True when the route needs more than the driver's keys can express: point the driver at <c>proxynet serve</c>.</summary>
    public bool ServeRecommended => ServeReasons.Count > 0;

    /// <summary>Why <c>proxynet serve</c> is recommended, one reason a line; empty when it is not.</summary>
    public IReadOnlyList<string> ServeReasons { get; }

    /// <summary>
    /// Renders the driver's proxy settings for the route Proxy.Net decides for <paramref name="host"/> (a host name, or an
    /// absolute URL whose host and scheme are used; a bare host is routed as <c>https://host/</c>). The NO_PROXY list is
    /// translated into the driver's bypass list where its grammar can say the entry, so the driver's other hosts (stage
    /// storage, identity providers) are routed as Proxy.Net would route them.
    /// </summary>
    /// <exception cref="ProxyConfigurationException">The configuration that applies to the host is broken (the message names the setting, never the password).</exception>
    public static DriverProxySettings For(ProxyResolver resolver, ProxyDriver driver, string host)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        var grammar = DriverGrammar.For(driver);
        var url = host.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(host, UriKind.Absolute, out var absolute)
            ? absolute
            : Uri.TryCreate($"https://{host.Trim()}/", UriKind.Absolute, out var bare) ? bare
            : throw new ArgumentException($"'{host}' is not a host name or an absolute URL", nameof(host));
        return DriverRouteReader.Read(resolver.Settings, grammar, driver, url);
    }

    /// <summary>
    /// The same driver pointed at a running <c>proxynet serve</c> on <paramref name="serve"/>, which routes every host
    /// as Proxy.Net does (NO_PROXY, PAC, failover, logins): no bypass list, and the login <c>proxynet</c> with
    /// <paramref name="token"/> (serve's client token) as the password; null for a serve started with <c>--no-client-auth</c>.
    /// </summary>
    public DriverProxySettings ThroughServe(IPEndPoint serve, string? token)
    {
        ArgumentNullException.ThrowIfNull(serve);
        string host = serve.Address.ToString();
        var values = _grammar.On(serve.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{host}]" : host, serve.Port, token is null ? null : "proxynet", token, bypass: null).ToList();
        return new DriverProxySettings(Driver, Url, Route, values, [], []);
    }

    /// <summary>
    /// <see cref="Values"/> as a connection-string fragment (<c>KEY=value;KEY=value</c>, values quoted as the driver's
    /// connection strings need), to append to the rest of the connection string. It contains the proxy password.
    /// </summary>
    public string ToConnectionString() => Render(mask: false);

    /// <summary>The fragment with the proxy password written as <c>***</c>: safe to log.</summary>
    public override string ToString() => Render(mask: true);

    private string Render(bool mask)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in Values)
        {
            bool secret = mask && key == _grammar.PasswordKey && value.Length > 0;
            DbConnectionStringBuilder.AppendKeyValuePair(text, key, secret ? Redaction.Mask : value, _grammar.OdbcQuoting);
        }

        return text.ToString();
    }
}
