using ProxyNet.Tests.Fakes;

namespace ProxyNet.IntegrationTests.Servers;

/// <summary>
/// Every real server the routing tests share, started once (in parallel) for the collection:
/// squid plain and with Basic auth, the DSS apache2, microsocks plain and with auth, a WireMock origin,
/// a TLS origin signed by a test CA, and pyftpdlib (anonymous and with a login).
/// </summary>
public sealed class RealProxies : IAsyncLifetime
{
    public const string User = "alice";
    public const string Password = "p@ss w0rd";

    internal SquidServer Squid { get; private set; } = null!;

    internal SquidServer AuthSquid { get; private set; } = null!;

    internal ApacheServer Apache { get; private set; } = null!;

    internal MicrosocksServer Socks { get; private set; } = null!;

    internal MicrosocksServer AuthSocks { get; private set; } = null!;

    internal Origin Origin { get; private set; } = null!;

    internal TestCertificates Certificates { get; } = new();

    internal TlsOrigin TlsOrigin { get; private set; } = null!;

    internal FtpServer Ftp { get; private set; } = null!;

    internal FtpServer LoginFtp { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Origin = new Origin();
        var squid = SquidServer.StartAsync();
        var authSquid = SquidServer.StartAsync(User, Password);
        var apache = ApacheServer.StartAsync();
        var socks = MicrosocksServer.StartAsync();
        var authSocks = MicrosocksServer.StartAsync(User, Password);
        var tls = TlsOrigin.StartAsync(Certificates.IssueServer());
        var ftp = FtpServer.StartAsync();
        var loginFtp = FtpServer.StartAsync(User, Password);
        await Task.WhenAll(squid, authSquid, apache, socks, authSocks, tls, ftp, loginFtp);
        (Squid, AuthSquid, Apache, Socks, AuthSocks, TlsOrigin) = (squid.Result, authSquid.Result, apache.Result, socks.Result, authSocks.Result, tls.Result);
        (Ftp, LoginFtp) = (ftp.Result, loginFtp.Result);
    }

    public async Task DisposeAsync()
    {
        Origin?.Dispose();
        foreach (var server in new IAsyncDisposable?[] { Squid, AuthSquid, Apache, Socks, AuthSocks, TlsOrigin, Ftp, LoginFtp })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        Certificates.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class RealProxiesCollection : ICollectionFixture<RealProxies>
{
    public const string Name = "Real proxies";
}
