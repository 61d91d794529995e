using Npgsql;
using ProxyNet.Forwarding;
using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Npgsql;
using ProxyNet.Resolution;

namespace ProxyNet.IntegrationTests.Forwarding;

/// <summary>
/// CARTO's PostgreSQL case: the database through squid's CONNECT with a Basic login, TLS <c>verify-full</c> passing on
/// the real name (<c>localhost</c>, whose certificate has no 127.0.0.1), from <c>psql</c> and from Npgsql.
/// </summary>
public sealed class PostgresThroughTunnelTests : IDisposable
{
    private const string User = "alice";
    private const string Password = "p@ss w0rd";
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public async Task Npgsql_queries_with_verify_full_through_squid_and_squid_logs_the_login()
    {
        await using var postgres = await PostgresServer.StartAsync(_certificates);
        await using var squid = await SquidServer.StartAsync(User, Password);
        var resolver = ProxyResolver.Create(new ProxyNetOptions { HttpsProxy = squid.Url, Username = User, Password = Password, UseEnvironment = false });
        var builder = new NpgsqlDataSourceBuilder($"Host=localhost;Port={postgres.Port};Username=postgres;Database=postgres;SslMode=VerifyFull;RootCertificate={postgres.CaFile};Pooling=false");

        await using var forward = builder.UseProxyTunnel(resolver);
        await using var dataSource = builder.Build();
        await using var command = dataSource.CreateCommand("select ssl from pg_stat_ssl where pid = pg_backend_pid()");
        bool ssl = (bool)(await command.ExecuteScalarAsync())!;

        Assert.True(ssl);
        var lines = await squid.WaitForAsync($"localhost:{postgres.Port}", l => l.Any(r => r.Status == "200"));
        Assert.Contains(lines, r => r.Method == "CONNECT" && r.User == User && r.Status == "200");
    }

    [Fact]
    public async Task Without_the_real_name_verify_full_fails_so_the_name_check_is_real()
    {
        await using var postgres = await PostgresServer.StartAsync(_certificates);
        await using var squid = await SquidServer.StartAsync();
        var resolver = ProxyResolver.Create(new ProxyNetOptions { HttpsProxy = squid.Url, UseEnvironment = false });
        await using var forward = await ProxyTunnelListener.StartAsync(resolver, "localhost", postgres.Port);
        var builder = new NpgsqlDataSourceBuilder($"Host=127.0.0.1;Port={forward.LocalEndPoint.Port};Username=postgres;Database=postgres;SslMode=VerifyFull;RootCertificate={postgres.CaFile};Pooling=false");
        await using var dataSource = builder.Build();

        await Assert.ThrowsAnyAsync<Exception>(async () => await dataSource.OpenConnectionAsync());
    }

    [Fact]
    public async Task Psql_with_verify_full_through_proxynet_tunnel_and_no_proxy_goes_direct()
    {
        await using var postgres = await PostgresServer.StartAsync(_certificates);
        await using var squid = await SquidServer.StartAsync(User, Password);
        var resolver = ProxyResolver.Create(new ProxyNetOptions { HttpsProxy = squid.Url, Username = User, Password = Password, UseEnvironment = false });
        await using var proxied = await ProxyTunnelListener.StartAsync(resolver, "localhost", postgres.Port);
        var bypassing = ProxyResolver.Create(new ProxyNetOptions { HttpsProxy = squid.Url, ExcludedDomains = { $"localhost:{postgres.Port}" }, UseEnvironment = false });
        await using var direct = await ProxyTunnelListener.StartAsync(bypassing, "localhost", postgres.Port);

        // The direct forward first: squid must see nothing of it. libpq may open more than one connection for one
        // psql run (GSSAPI encryption is tried first unless disabled), so the proxied run is counted as "some".
        await PsqlAsync(direct.LocalEndPoint.Port, postgres);
        Assert.DoesNotContain($"localhost:{postgres.Port}", squid.AccessLog, StringComparison.Ordinal);

        await PsqlAsync(proxied.LocalEndPoint.Port, postgres);
        var lines = await squid.WaitForAsync($"localhost:{postgres.Port}", l => l.Any(r => r.Status == "200"));
        Assert.Contains(lines, r => r.Status == "200");
        Assert.All(lines.Where(r => r.Status == "200"), r => Assert.Equal(User, r.User));
    }

    private static async Task PsqlAsync(int port, PostgresServer postgres)
    {
        var (exit, stdout, stderr) = await ExternalClients.RunAsync(
            "psql",
            [$"host=localhost hostaddr=127.0.0.1 port={port} user=postgres dbname=postgres sslmode=verify-full gssencmode=disable sslrootcert={postgres.CaFile}", "-tAc", "select ssl from pg_stat_ssl where pid = pg_backend_pid()"],
            new Dictionary<string, string>());
        Assert.True(exit == 0 && stdout.Trim() == "t", $"psql exit {exit}: {stdout} {stderr}");
    }
}
