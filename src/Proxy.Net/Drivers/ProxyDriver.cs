namespace ProxyNet.Drivers;

/// <summary>
/// A database driver that takes one fixed proxy from its connection settings and ignores <c>HttpClient.DefaultProxy</c>,
/// the environment and Proxy.Net's handlers: <see cref="DriverProxySettings.For"/> renders its keys.
/// </summary>
public enum ProxyDriver
{
    /// <summary>
    /// The Snowflake .NET connector (<c>Snowflake.Data</c>): <c>USEPROXY</c>, <c>PROXYHOST</c>, <c>PROXYPORT</c>,
    /// <c>PROXYUSER</c>, <c>PROXYPASSWORD</c> and <c>NONPROXYHOSTS</c> (<c>|</c>-separated <c>*</c> patterns matched
    /// against <c>scheme://host[:port]</c>); an <c>http://</c> proxy only.
    /// </summary>
    Snowflake = 0,

    /// <summary>
    /// The Databricks (and Apache Spark/Hive) ADBC drivers for .NET: the <c>adbc.proxy_options.*</c> properties
    /// (<c>proxy_ignore_list</c> comma-separated <c>*</c> patterns matched against <c>scheme://host[:port]</c>); an
    /// <c>http://</c> proxy only.
    /// </summary>
    DatabricksAdbc = 1,

    /// <summary>
    /// An ODBC DSN or connection string of the Simba-built drivers (Simba Spark, Databricks ODBC): <c>UseProxy</c>,
    /// <c>ProxyHost</c>, <c>ProxyPort</c>, <c>ProxyUID</c>, <c>ProxyPWD</c> and <c>ProxyIgnoreList</c> (comma-separated
    /// host names, IPv4 addresses and <c>*.domain</c> wildcards).
    /// </summary>
    Odbc = 2,
}
