using Microsoft.Extensions.Logging;
using Npgsql;
using ProxyNet.Forwarding;
using ProxyNet.Resolution;

namespace ProxyNet.Npgsql;

/// <summary>
/// PostgreSQL through the proxy: Npgsql has no socket hook, so the data source is pointed at a local
/// <see cref="ProxyTunnelListener"/> that tunnels each connection to the real server, while TLS still checks the real
/// server's name (<c>SslMode=VerifyFull</c> against <c>db.internal</c>, not against <c>127.0.0.1</c>).
/// </summary>
public static class ProxyNetNpgsqlExtensions
{
    /// <summary>
    /// Starts a forward to the connection string's <c>Host</c> and <c>Port</c> (routed as <c>https://host:port/</c>:
    /// HTTPS_PROXY, ALL_PROXY, NO_PROXY with <c>host:port</c> entries, PAC, failover, logins), points the builder at it,
    /// and makes TLS name the real host (SNI and the certificate's name check). Dispose the forward after the data source.
    /// </summary>
    /// <returns>The forward: keep it as long as the data source, and dispose it after.</returns>
    /// <exception cref="ArgumentException">The connection string names no host, several hosts, or a Unix socket path.</exception>
    /// <example>
    /// <code>
    /// var builder = new NpgsqlDataSourceBuilder("Host=db.internal;Port=5432;SslMode=VerifyFull;...");
    /// await using var forward = builder.UseProxyTunnel(ProxyResolver.FromEnvironment());
    /// await using var dataSource = builder.Build();
    /// </code>
    /// </example>
    public static ProxyTunnelListener UseProxyTunnel(this NpgsqlDataSourceBuilder builder, ProxyResolver resolver, ProxyTunnelListenerOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(resolver);
        var connection = builder.ConnectionStringBuilder;
        string? host = connection.Host;
        if (string.IsNullOrWhiteSpace(host) || host.Contains(',', StringComparison.Ordinal) || host.StartsWith('/'))
        {
            throw new ArgumentException($"UseProxyTunnel needs one TCP host in the connection string, not '{host}' (several hosts or a Unix socket path cannot go through one forward)", nameof(builder));
        }

        int port = connection.Port;
        var forward = ProxyTunnelListener.StartAsync(resolver, host, port, options, logger).GetAwaiter().GetResult();
        connection.Host = forward.LocalEndPoint.Address.ToString();
        connection.Port = forward.LocalEndPoint.Port;

        // TLS is between Npgsql and the real server, through the tunnel: it must name the real host, for SNI and for
        // VerifyFull's check of the certificate's name.
        builder.UseSslClientAuthenticationOptionsCallback(tls => tls.TargetHost = host);
        return forward;
    }
}
