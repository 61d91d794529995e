using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Pac;
using ProxyNet.Resolution;

namespace ProxyNet.IntegrationTests.Pac;

/// <summary>
/// An https:// PAC script is fetched with the configuration's ORIGIN trust (Tls:OriginCaCertificates), never the proxy's
/// (Tls:ProxyCaCertificates): a Kestrel server with a certificate from the test CA serves the script.
/// </summary>
public sealed class PacFetchTrustTests : IAsyncLifetime
{
    private readonly TestCertificates _ca = new("Proxy.Net PAC CA");
    private TlsOrigin _server = null!;

    public async Task InitializeAsync() =>
        _server = await TlsOrigin.StartAsync(_ca.IssueServer(), "function FindProxyForURL(url, host) { return \"PROXY from-https-pac:3128\"; }");

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _ca.Dispose();
    }

    [Fact]
    public void The_origin_CA_lets_the_script_load()
    {
        var decision = Resolve(o => o.Tls.OriginCaCertificates = [_ca.AuthorityPem]);

        Assert.False(decision.IsError, decision.Error);
        Assert.Equal("http://from-https-pac:3128", decision.Proxy!.Address);
    }

    [Fact]
    public void Without_the_CA_the_fetch_fails_in_words_and_never_goes_direct()
    {
        var decision = Resolve(_ => { });

        Assert.True(decision.IsError);
        Assert.Contains($"PAC {_server.NameUrl}/proxy.pac: the script could not be fetched", decision.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_proxy_CA_does_not_apply_to_the_script()
    {
        var decision = Resolve(o => o.Tls.ProxyCaCertificates = [_ca.AuthorityPem]);

        Assert.True(decision.IsError);
        Assert.Contains("could not be fetched", decision.Error, StringComparison.Ordinal);
    }

    private ProxyDecision Resolve(Action<ProxyNetOptions> configure)
    {
        var options = new ProxyNetOptions { UseEnvironment = false, PacUrl = $"{_server.NameUrl}/proxy.pac" };
        configure(options);
        using var pac = new ProxyAutoConfig();
        return ProxyResolver.Create(options, pac).Resolve(new Uri("http://example.com/"));
    }
}
