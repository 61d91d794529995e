using ProxyNet.Http;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;
using ProxyNet.Tls;

namespace ProxyNet.Tests.Http;

/// <summary>
/// What the handler logs and counts per hop: an egress refusal, a configuration error, and an accept-any-certificate
/// switch (once per client and configuration, naming what is left unprotected).
/// </summary>
public sealed class HandlerLogTests
{
    [Fact]
    public async Task An_egress_refusal_is_logged_and_counted_as_refused_and_nothing_is_sent()
    {
        var logs = new ListLoggerProvider();
        var routes = new FakeRoutes(_ => new HttpResponseMessage());
        using var telemetry = new TelemetryCapture();
        using var client = routes.Client(new ProxyNetOptions { AllowedDirect = ["allowed.test"] }, logger: logs.CreateLogger("ProxyNet"));

        var refused = await Assert.ThrowsAsync<ProxyEgressRefusedException>(() => client.GetAsync("http://origin.test:8080/x"));

        Assert.StartsWith("Egress policy (Proxy:AllowedDirect) refuses a DIRECT connection to origin.test:8080 (", refused.Message, StringComparison.Ordinal);
        Assert.Contains(logs.Lines, l => l.Contains("[9] Egress policy refused a DIRECT connection to http://origin.test:8080/x (", StringComparison.Ordinal));
        Assert.Equal(1, telemetry.Sum("proxynet.requests", "route", "refused"));
        Assert.Equal(0, telemetry.Sum("proxynet.requests", "route", "direct"));
        Assert.Empty(routes.Sent);
    }

    [Theory]
    [InlineData("http://proxy.test:99999", null, "Proxy:HttpProxy: port 99999 is out of range")]
    [InlineData(null, "", "client proxy: ProxyClientOptions.ProxyUrl is empty")]
    [InlineData(null, "   ", "client proxy: ProxyClientOptions.ProxyUrl is empty")]
    [InlineData(null, "ftp://proxy.test:21", "client proxy: unsupported proxy scheme 'ftp'")]
    public async Task A_broken_proxy_setting_fails_the_request_and_is_logged(string? global, string? clientProxy, string expected)
    {
        var logs = new ListLoggerProvider();
        var routes = new FakeRoutes(_ => new HttpResponseMessage());
        var client = clientProxy is null ? null : new ProxyClientOptions { Mode = ProxyClientMode.Proxy, ProxyUrl = clientProxy };
        using var http = routes.Client(new ProxyNetOptions { HttpProxy = global }, client, logs.CreateLogger("ProxyNet"));

        var error = await Assert.ThrowsAsync<ProxyConfigurationException>(() => http.GetAsync("http://origin.test/x"));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(logs.Lines, l => l.Contains($"[2] Proxy configuration error for http://origin.test/x: {expected}", StringComparison.Ordinal));
        Assert.Empty(routes.Sent);
    }

    [Fact]
    public async Task Broken_trust_material_of_a_client_fails_each_of_its_requests_naming_the_client()
    {
        var routes = new FakeRoutes(_ => new HttpResponseMessage());
        using var client = routes.Client(new ProxyNetOptions(), new ProxyClientOptions { Tls = new ProxyTlsOptions { ReplaceSystemTrust = true } });

        var error = await Assert.ThrowsAsync<ProxyConfigurationException>(() => client.GetAsync("http://origin.test/"));

        Assert.Equal("client 'default': Tls:ReplaceSystemTrust is set but no origin CA certificate is configured: every origin would be refused", error.Message);
        Assert.Empty(routes.Sent);
    }

    public static TheoryData<ProxyTlsOptions?, ProxyTlsOptions?, string?> Dangerous => new()
    {
        { new ProxyTlsOptions { DangerousAcceptAnyServerCertificate = true }, null, "origin" },
        { new ProxyTlsOptions { DangerousAcceptAnyProxyCertificate = true }, null, "proxy" },
        { null, new ProxyTlsOptions { DangerousAcceptAnyServerCertificate = true }, "origin" },
        { null, new ProxyTlsOptions { DangerousAcceptAnyProxyCertificate = true }, "proxy" },
        { new ProxyTlsOptions { DangerousAcceptAnyProxyCertificate = true }, new ProxyTlsOptions { DangerousAcceptAnyServerCertificate = true }, "origin" },
        { new ProxyTlsOptions { DangerousAcceptAnyServerCertificate = true }, new ProxyTlsOptions(), null },
        { null, null, null },
        { new ProxyTlsOptions(), new ProxyTlsOptions(), null },
    };

    [Theory]
    [MemberData(nameof(Dangerous))]
    public async Task Accepting_any_certificate_is_logged_once_per_client_naming_what_is_unprotected(ProxyTlsOptions? global, ProxyTlsOptions? own, string? who)
    {
        var logs = new ListLoggerProvider();
        var routes = new FakeRoutes(_ => new HttpResponseMessage());
        var options = new ProxyNetOptions();
        if (global is not null)
        {
            options.Tls = global;
        }

        using var client = routes.Client(options, new ProxyClientOptions { Tls = own }, logs.CreateLogger("ProxyNet"));
        for (int i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync($"http://origin.test/{i}");
        }

        var warnings = logs.Lines.Where(l => l.Contains("[8]", StringComparison.Ordinal)).ToList();
        if (who is null)
        {
            Assert.Empty(warnings);
        }
        else
        {
            Assert.Equal($"Warning ProxyNet[8] Client 'default' accepts ANY {who} certificate: TLS does not protect its traffic against interception ", Assert.Single(warnings));
        }
    }
}
