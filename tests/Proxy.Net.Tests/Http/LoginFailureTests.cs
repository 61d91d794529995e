using System.Net;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.Tests.Http;

/// <summary>
/// A 407 on the plain-HTTP path ends the request with the login engine's words: what the proxy offered, what was tried
/// as whom, and why it failed; never the password. It is counted, logged and traced.
/// </summary>
public sealed class LoginFailureTests
{
    private const string Password = "s3cret-pw";

    public static TheoryData<string, bool, ProxyAuthSchemes, string[], string> Cases => new()
    {
        {
            "http://proxy.test:3128", false, ProxyAuthSchemes.All, ["Basic realm=\"corp\"", "Negotiate"],
            "Proxy http://proxy.test:3128 (Proxy:HttpProxy) requires a login (407 Proxy Authentication Required) for origin.test:80, and no credentials were sent: it offered Basic, Negotiate. Put the user name and password in Proxy:HttpProxy (before the host, ending with '@'), or set Username and Password in the proxy configuration; for a Kerberos or NTLM login as the current user, set UseDefaultCredentials."
        },
        {
            "http://proxy.test:3128", false, ProxyAuthSchemes.All, [],
            "Proxy http://proxy.test:3128 (Proxy:HttpProxy) requires a login (407 Proxy Authentication Required) for origin.test:80, and no credentials were sent: it offered no scheme it names. Put the user name and password in Proxy:HttpProxy (before the host, ending with '@'), or set Username and Password in the proxy configuration."
        },
        {
            $"http://u:{Password}@proxy.test:3128", false, ProxyAuthSchemes.All, ["basic realm=\"corp\""],
            "Proxy http://proxy.test:3128 (Proxy:HttpProxy) rejected the credentials for user 'u' (407 Proxy Authentication Required) for origin.test:80: it offered basic; tried Basic as user 'u' (from the user information in Proxy:HttpProxy); the proxy rejected the Basic login of user 'u' (wrong password or unknown user). Check the user name and password; inside a URL, '@', ':' and '/' in them must be percent-encoded."
        },
        {
            $"http://u:{Password}@proxy.test:3128", false, ProxyAuthSchemes.All, ["Basic realm=\"corp\"", "Basic realm=\"other\"", "NTLM"],
            "Proxy http://proxy.test:3128 (Proxy:HttpProxy) rejected the credentials for user 'u' (407 Proxy Authentication Required) for origin.test:80: it offered Basic, NTLM; tried NTLM as user 'u' (from the user information in Proxy:HttpProxy); the proxy rejected the NTLM login of user 'u' (wrong password or unknown user). Check the user name and password; inside a URL, '@', ':' and '/' in them must be percent-encoded."
        },
        {
            $"http://u:{Password}@proxy.test:3128", false, ProxyAuthSchemes.Negotiate | ProxyAuthSchemes.Digest, ["Basic realm=\"corp\""],
            "Proxy http://proxy.test:3128 (Proxy:HttpProxy) refused the request (407 Proxy Authentication Required) for origin.test:80: it offered Basic, and AuthSchemes (Negotiate, Digest) allows none of them, so no login of user 'u' was sent. Allow one of the offered schemes in AuthSchemes."
        },
        {
            $"http://u:{Password}@proxy.test:3128", false, ProxyAuthSchemes.Basic, [],
            "Proxy http://proxy.test:3128 (Proxy:HttpProxy) refused the request (407 Proxy Authentication Required) for origin.test:80: it offered no scheme it names, and AuthSchemes (Basic) allows none of them, so no login of user 'u' was sent. Allow one of the offered schemes in AuthSchemes."
        },
        {
            "http://proxy.test:3128", true, ProxyAuthSchemes.All, ["Negotiate"],
            "Proxy http://proxy.test:3128 (Proxy:HttpProxy) rejected the login of the current user (407 Proxy Authentication Required) for origin.test:80: it offered Negotiate; tried Negotiate as the current user; the proxy rejected the Negotiate login of the current user (no Kerberos ticket (run kinit), an expired one, or gss-ntlmssp missing for NTLM)."
        },
        {
            "http://proxy.test:3128", true, ProxyAuthSchemes.All, ["NTLM", "Basic realm=\"corp\""],
            "Proxy http://proxy.test:3128 (Proxy:HttpProxy) rejected the login of the current user (407 Proxy Authentication Required) for origin.test:80: it offered NTLM, Basic; tried NTLM as the current user; the proxy rejected the NTLM login of the current user (no Kerberos ticket (run kinit), an expired one, or gss-ntlmssp missing for NTLM)."
        },
        {
            "http://proxy.test:3128", true, ProxyAuthSchemes.All, ["Basic realm=\"corp\""],
            "Proxy http://proxy.test:3128 (Proxy:HttpProxy) rejected the login of the current user (407 Proxy Authentication Required) for origin.test:80: it offered Basic; tried Basic as the current user; the proxy rejected the Basic login of the current user (no password to send)."
        },
        {
            "http://proxy.test:3128", true, ProxyAuthSchemes.Basic, ["Negotiate"],
            "Proxy http://proxy.test:3128 (Proxy:HttpProxy) refused the request (407 Proxy Authentication Required) for origin.test:80: it offered Negotiate, and AuthSchemes (Basic) allows none of them, so no login of the current user was sent. Allow one of the offered schemes in AuthSchemes."
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_message_says_what_was_offered_and_tried_as_whom(string proxy, bool currentUser, ProxyAuthSchemes schemes, string[] offers, string expected)
    {
        HttpResponseMessage? answered = null;
        var routes = new FakeRoutes(_ =>
        {
            answered = new HttpResponseMessage(HttpStatusCode.ProxyAuthenticationRequired) { Content = new StringContent("login first") };
            foreach (string offer in offers)
            {
                answered.Headers.TryAddWithoutValidation("Proxy-Authenticate", offer);
            }

            return answered;
        });
        var logs = new ListLoggerProvider();
        using var telemetry = new TelemetryCapture();
        using var client = routes.Client(
            new ProxyNetOptions { HttpProxy = proxy, UseDefaultCredentials = currentUser, AuthSchemes = schemes },
            logger: logs.CreateLogger("ProxyNet"));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("http://origin.test/page"));

        Assert.Equal(expected, error.Message);
        Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, error.StatusCode);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, telemetry.Sum("proxynet.proxy.failures", "kind", "auth"));
        Assert.Contains(logs.Lines, l => l.Contains("[4] Proxy http://proxy.test:3128 answered 407 for http://origin.test/page: ", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(Password, StringComparison.Ordinal));

        // The 407 is consumed: the caller never gets it, so the handler disposes it.
        await Assert.ThrowsAsync<ObjectDisposedException>(() => answered!.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_407_from_DIRECT_is_an_origin_answer_and_is_returned()
    {
        var routes = new FakeRoutes(_ => new HttpResponseMessage(HttpStatusCode.ProxyAuthenticationRequired));
        using var client = routes.Client(new ProxyNetOptions());

        using var response = await client.GetAsync("http://origin.test/page");

        Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, response.StatusCode);
    }

    [Fact]
    public async Task A_real_proxy_that_keeps_answering_407_to_Basic_names_the_user_and_never_the_password()
    {
        var authorizations = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var proxy = new ScriptedServer(async (s, _) =>
        {
            while (await ScriptedServer.ReadHeadAsync(s) is { Length: > 0 } head)
            {
                foreach (string line in head.Split("\r\n").Where(l => l.StartsWith("Proxy-Authorization:", StringComparison.OrdinalIgnoreCase)))
                {
                    authorizations.Enqueue(line);
                }

                await ScriptedServer.WriteAsync(s, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\nContent-Length: 0\r\n\r\n");
            }
        });
        var resolver = ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false, HttpProxy = $"http://u:{Password}@127.0.0.1:{proxy.Port}" });
        using var client = new HttpClient(ProxyNet.Http.ProxyNetHandler.Create(resolver)) { Timeout = TimeSpan.FromSeconds(20) };

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("http://origin.test/"));

        Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, error.StatusCode);
        Assert.Equal(
            $"Proxy http://127.0.0.1:{proxy.Port} (Proxy:HttpProxy) rejected the credentials for user 'u' (407 Proxy Authentication Required) for origin.test:80: it offered Basic; tried Basic as user 'u' (from the user information in Proxy:HttpProxy); the proxy rejected the Basic login of user 'u' (wrong password or unknown user). Check the user name and password; inside a URL, '@', ':' and '/' in them must be percent-encoded.",
            error.Message);
        Assert.Contains(authorizations, a => a.Contains("Basic ", StringComparison.Ordinal));
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }
}
