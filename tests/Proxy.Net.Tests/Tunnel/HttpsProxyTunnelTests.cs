using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ProxyNet.Tests.Fakes;
using ProxyNet.Tunnel;
using static ProxyNet.Tests.Fakes.StreamText;

namespace ProxyNet.Tests.Tunnel;

/// <summary>Tunnels through an https:// proxy: how its certificate is trusted, what a failure says, Basic over TLS, closing.</summary>
public sealed class HttpsProxyTunnelTests : IDisposable
{
    private readonly X509Certificate2 _certificate = SelfSigned();

    public void Dispose() => _certificate.Dispose();

    [Fact]
    public async Task A_proxy_certificate_from_a_trusted_CA_file_opens_the_tunnel()
    {
        await using var proxy = TlsProxy(_ => "HTTP/1.1 200 OK\r\n\r\nhello");
        var options = Options();
        options.ProxyTrustedCertificates = [_certificate];

        await using var stream = await ProxyTunnel.ConnectAsync(new Uri($"https://127.0.0.1:{proxy.Port}"), "example.com", 443, options);

        Assert.Equal("hello", await ReadSomeAsync(stream));
        Assert.StartsWith("CONNECT example.com:443 HTTP/1.1\r\n", proxy.Received.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_custom_certificate_check_replaces_the_default_one()
    {
        await using var proxy = TlsProxy(_ => "HTTP/1.1 200 OK\r\n\r\nhello");
        int calls = 0;
        var options = Options();
        options.ProxyCertificateValidation = (_, certificate, _, _) =>
        {
            // Pinned: only the fake's own certificate, which no CA vouches for.
            Interlocked.Increment(ref calls);
            return certificate?.GetCertHashString() == _certificate.Thumbprint;
        };

        await using var stream = await ProxyTunnel.ConnectAsync(new Uri($"https://127.0.0.1:{proxy.Port}"), "example.com", 443, options);

        Assert.Equal("hello", await ReadSomeAsync(stream));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task An_untrusted_proxy_certificate_is_refused_in_words()
    {
        await using var proxy = TlsProxy(_ => "HTTP/1.1 200 OK\r\n\r\n");

        var error = await Assert.ThrowsAsync<ProxyTunnelException>(() => ProxyTunnel.ConnectAsync(new Uri($"https://127.0.0.1:{proxy.Port}"), "example.com", 443, Options()));

        Assert.StartsWith($"TLS to proxy https://127.0.0.1:{proxy.Port} failed: the proxy's certificate (CN=proxy.test) for 127.0.0.1 ", error.Message, StringComparison.Ordinal);
        Assert.Contains("Tls:ProxyCaCertificates", error.Message, StringComparison.Ordinal);
        Assert.IsType<AuthenticationException>(error.InnerException);
        Assert.Empty(proxy.Received);
    }

    [Fact]
    public async Task Basic_is_the_fallback_after_an_unusable_stronger_offer_over_TLS()
    {
        string basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:hunter2"));
        await using var proxy = TlsProxy(head => head.Contains("Proxy-Authorization: " + basic + "\r\n", StringComparison.Ordinal)
            ? "HTTP/1.1 200 OK\r\n\r\nhello"
            : "HTTP/1.1 407 Login\r\nProxy-Authenticate: Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"\r\nProxy-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n");
        var options = Options();
        options.ProxyTrustedCertificates = [_certificate];

        await using var stream = await ProxyTunnel.ConnectAsync(new Uri($"https://alice:hunter2@127.0.0.1:{proxy.Port}"), "example.com", 443, options);

        Assert.Equal("hello", await ReadSomeAsync(stream));
        Assert.Contains("Proxy-Authorization: " + basic, proxy.Received.Last(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_the_tunnel_closes_the_connection_under_the_TLS()
    {
        var closed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var proxy = new ScriptedServer(async (s, _) =>
        {
            await using var tls = new SslStream(s);
            await tls.AuthenticateAsServerAsync(_certificate);
            await ScriptedServer.ReadHeadAsync(tls);
            await ScriptedServer.WriteAsync(tls, "HTTP/1.1 200 OK\r\n\r\n");
            try
            {
                closed.SetResult(await ScriptedServer.ReadLineAsync(tls) ?? "end of stream");
            }
            catch (IOException)
            {
                closed.SetResult("end of stream");
            }
        });
        var options = Options();
        options.ProxyTrustedCertificates = [_certificate];
        var stream = await ProxyTunnel.ConnectAsync(new Uri($"https://127.0.0.1:{proxy.Port}"), "example.com", 443, options);

        await stream.DisposeAsync();

        Assert.Equal("end of stream", await closed.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static ProxyTunnelOptions Options() => new() { ConnectTimeout = TimeSpan.FromSeconds(10), ResponseTimeout = TimeSpan.FromSeconds(5) };

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=proxy.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
    }

    /// <summary>An https:// proxy answering each CONNECT head with <paramref name="answer"/> on one kept-alive connection.</summary>
    private ScriptedServer TlsProxy(Func<string, string> answer) => new(async (s, self) =>
    {
        await using var tls = new SslStream(s);
        try
        {
            await tls.AuthenticateAsServerAsync(_certificate);
        }
        catch (AuthenticationException)
        {
            return;
        }

        string head;
        while ((head = await ScriptedServer.ReadHeadAsync(tls)).Length > 0)
        {
            self.Received.Enqueue(head);
            await ScriptedServer.WriteAsync(tls, answer(head));
        }
    });
}
