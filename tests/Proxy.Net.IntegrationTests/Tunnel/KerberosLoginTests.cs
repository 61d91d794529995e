using System.Net;
using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Tunnel;

namespace ProxyNet.IntegrationTests.Tunnel;

/// <summary>squid with negotiate_kerberos_auth in front of a throw-away MIT realm, shared by the tests of the class.</summary>
public sealed class KerberosProxy : IAsyncLifetime
{
    internal KerberosRealm Realm { get; private set; } = null!;

    internal SquidServer Squid { get; private set; } = null!;

    /// <summary>By name, so the client asks for <c>HTTP/localhost</c>.</summary>
    internal Uri Url => new($"http://localhost:{Squid.Port}");

    public async Task InitializeAsync()
    {
        Realm = await KerberosRealm.StartAsync();
        Squid = await SquidServer.StartAsync(login: Realm.SquidLogin());
    }

    public async Task DisposeAsync()
    {
        if (Squid is not null)
        {
            await Squid.DisposeAsync();
        }

        if (Realm is not null)
        {
            await Realm.DisposeAsync();
        }
    }
}

/// <summary>
/// Negotiate/Kerberos on the CONNECT path against real squid and a real KDC: with a password, with a kinit ticket
/// cache, with a client keytab, and without a ticket (a failure in words). squid's log names the Kerberos user and
/// shows one client connection per tunnel. The tests of this class run one after another: they point the
/// process's Kerberos library at different caches.
/// </summary>
public sealed class KerberosLoginTests(KerberosProxy proxy) : IClassFixture<KerberosProxy>
{
    private const string Principal = KerberosRealm.User + "@" + KerberosRealm.Name;

    [Fact]
    public async Task With_a_password()
    {
        proxy.Realm.UseInThisProcess(ticketCache: null, clientKeytab: null);
        await using var origin = new LoginOrigin();

        await origin.TunnelAsync(proxy.Url, new ProxyTunnelOptions { Credentials = new NetworkCredential(KerberosRealm.User, KerberosRealm.Password) });

        await origin.AssertOneConnectionPerTunnelAsync(proxy.Squid, tunnels: 1, Principal);
    }

    [Fact]
    public async Task Passwordless_with_a_kinit_ticket_cache()
    {
        proxy.Realm.UseInThisProcess(ticketCache: await proxy.Realm.KinitAsync(), clientKeytab: null);
        await using var origin = new LoginOrigin();
        var options = new ProxyTunnelOptions { UseDefaultCredentials = true };

        await origin.TunnelAsync(proxy.Url, options);
        await origin.TunnelAsync(proxy.Url, options);

        await origin.AssertOneConnectionPerTunnelAsync(proxy.Squid, tunnels: 2, Principal);
    }

    [Fact]
    public async Task Passwordless_with_a_client_keytab()
    {
        proxy.Realm.UseInThisProcess(ticketCache: null, clientKeytab: proxy.Realm.ClientKeytab);
        await using var origin = new LoginOrigin();

        await origin.TunnelAsync(proxy.Url, new ProxyTunnelOptions { UseDefaultCredentials = true });

        await origin.AssertOneConnectionPerTunnelAsync(proxy.Squid, tunnels: 1, Principal);
    }

    [Fact]
    public async Task Ntlm_inside_Negotiate_through_gss_ntlmssp_on_one_connection()
    {
        proxy.Realm.UseInThisProcess(ticketCache: null, clientKeytab: null);
        await using var origin = new LoginOrigin();

        // bob is unknown to the KDC: SPNEGO falls back to NTLM, three legs (407, 407 with the NTLM challenge, 200).
        await origin.TunnelAsync(proxy.Url, new ProxyTunnelOptions { Credentials = new NetworkCredential(KerberosRealm.NtlmUser, KerberosRealm.NtlmPassword, KerberosRealm.NtlmDomain) });

        await origin.AssertOneConnectionPerTunnelAsync(proxy.Squid, tunnels: 1, $"{KerberosRealm.NtlmDomain}\\{KerberosRealm.NtlmUser}");
        Assert.Equal(2, proxy.Squid.Connections.Count(r => r.Url == origin.Target && r.Status == "407"));
    }

    [Fact]
    public async Task A_wrong_NTLM_password_is_said_in_words()
    {
        proxy.Realm.UseInThisProcess(ticketCache: null, clientKeytab: null);
        await using var origin = new LoginOrigin();

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => origin.TunnelAsync(
            proxy.Url, new ProxyTunnelOptions { Credentials = new NetworkCredential(KerberosRealm.NtlmUser, "wrong", KerberosRealm.NtlmDomain) }));

        Assert.Contains("tried Negotiate as user 'bob'", error.Message, StringComparison.Ordinal);
        Assert.Contains("rejected the Negotiate login of user 'bob' (wrong password or unknown user)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_http_requests_log_in_with_the_ticket_cache_when_the_options_say_UseDefaultCredentials()
    {
        proxy.Realm.UseInThisProcess(ticketCache: await proxy.Realm.KinitAsync(), clientKeytab: null);
        using var origin = new ProxyNet.Tests.Fakes.Origin();
        var resolver = ProxyNet.Resolution.ProxyResolver.Create(new ProxyNet.Resolution.ProxyNetOptions { UseEnvironment = false, HttpProxy = proxy.Url.ToString(), UseDefaultCredentials = true });
        using var client = new HttpClient(ProxyNet.Http.ProxyNetHandler.Create(resolver));
        string url = $"{origin.IpUrl}/kerberos-{Guid.NewGuid():N}";

        using var response = await client.GetAsync(new Uri(url));

        Assert.NotEqual(HttpStatusCode.ProxyAuthenticationRequired, response.StatusCode);
        var lines = await proxy.Squid.WaitForAsync(url, l => l.Any(r => r.User == Principal));
        Assert.Contains(lines, r => r.Method == "GET" && r.User == Principal);
    }

    [Theory]
    [InlineData(KerberosRealm.User + ":" + KerberosRealm.Password, Principal, false)]
    [InlineData(KerberosRealm.NtlmDomain + "%5C" + KerberosRealm.NtlmUser + ":" + KerberosRealm.NtlmPassword, KerberosRealm.NtlmDomain + "\\" + KerberosRealm.NtlmUser, true)]
    public async Task Http_requests_log_in_with_the_user_and_password_of_the_proxy_URL(string userInfo, string loggedUser, bool alwaysTunnel)
    {
        // Kerberos (one leg) on the plain path, where SocketsHttpHandler logs in. NTLM (gss-ntlmssp inside Negotiate)
        // takes a second leg, which squid 5 writes as "Negotiate token=BLOB": SocketsHttpHandler cannot read that
        // (FormatException), so for such a proxy the client reaches http:// origins by CONNECT with AlwaysTunnel,
        // where the login engine reads it.
        proxy.Realm.UseInThisProcess(ticketCache: null, clientKeytab: null);
        using var origin = new ProxyNet.Tests.Fakes.Origin();
        var resolver = ProxyNet.Resolution.ProxyResolver.Create(new ProxyNet.Resolution.ProxyNetOptions { UseEnvironment = false, HttpProxy = $"http://{userInfo}@localhost:{proxy.Squid.Port}" });
        string path = $"/hello-login-{Guid.NewGuid():N}";
        using (var client = new HttpClient(ProxyNet.Http.ProxyNetHandler.Create(resolver, new ProxyNet.Http.ProxyClientOptions { AlwaysTunnel = alwaysTunnel })))
        {
            using var response = await client.GetAsync(new Uri(origin.IpUrl + path));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("hello from origin", await response.Content.ReadAsStringAsync());
        }

        // squid logs a CONNECT when the tunnel closes: the disposed client closed it.
        string logged = alwaysTunnel ? $"127.0.0.1:{origin.Port}" : origin.IpUrl + path;
        var lines = await proxy.Squid.WaitForAsync(logged, l => l.Any(r => r.User == loggedUser));
        Assert.Contains(lines, r => r.Method == (alwaysTunnel ? "CONNECT" : "GET") && r.User == loggedUser && r.Status == "200");
    }

    [Fact]
    public async Task A_squid_5_NTLM_continuation_on_the_plain_path_is_said_in_words_and_names_AlwaysTunnel()
    {
        proxy.Realm.UseInThisProcess(ticketCache: null, clientKeytab: null);
        using var origin = new ProxyNet.Tests.Fakes.Origin();
        var resolver = ProxyNet.Resolution.ProxyResolver.Create(new ProxyNet.Resolution.ProxyNetOptions { UseEnvironment = false, HttpProxy = $"http://{KerberosRealm.NtlmDomain}%5C{KerberosRealm.NtlmUser}:{KerberosRealm.NtlmPassword}@localhost:{proxy.Squid.Port}" });
        using var client = new HttpClient(ProxyNet.Http.ProxyNetHandler.Create(resolver));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri($"{origin.IpUrl}/hello-ntlm-{Guid.NewGuid():N}")));

        Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, error.StatusCode);
        Assert.Contains("cannot read", error.Message, StringComparison.Ordinal);
        Assert.Contains("set AlwaysTunnel on this client", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(KerberosRealm.NtlmPassword, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_ticket_the_failure_says_so()
    {
        proxy.Realm.UseInThisProcess(ticketCache: null, clientKeytab: null);
        await using var origin = new LoginOrigin();

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => origin.TunnelAsync(proxy.Url, new ProxyTunnelOptions { UseDefaultCredentials = true }));

        Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, error.StatusCode);
        Assert.Contains("it offered Negotiate; tried Negotiate as the current user; Negotiate: no Kerberos ticket for the current user (run kinit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_ticket_is_said_in_words()
    {
        proxy.Realm.UseInThisProcess(ticketCache: await proxy.Realm.KinitAsync(lifetime: "1s"), clientKeytab: null);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await using var origin = new LoginOrigin();

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => origin.TunnelAsync(proxy.Url, new ProxyTunnelOptions { UseDefaultCredentials = true }));

        Assert.True(error.Message.Contains("Negotiate: the Kerberos ticket has expired (run kinit again)", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public async Task Without_credentials_the_failure_names_UseDefaultCredentials()
    {
        await using var origin = new LoginOrigin();

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => origin.TunnelAsync(proxy.Url, new ProxyTunnelOptions()));

        Assert.Contains("it offered Negotiate; no credentials are configured", error.Message, StringComparison.Ordinal);
        Assert.Contains("UseDefaultCredentials", error.Message, StringComparison.Ordinal);
    }
}
