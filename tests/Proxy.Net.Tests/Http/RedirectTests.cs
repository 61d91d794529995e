using System.Net;
using ProxyNet.Http;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.Tests.Http;

/// <summary>
/// The handler follows redirects itself: how many, which methods and bodies survive each status, which Locations it
/// refuses to follow, and that every hop is routed again.
/// </summary>
public sealed class RedirectTests
{
    [Theory]
    [InlineData(301, "POST", "GET", false)]
    [InlineData(302, "POST", "GET", false)]
    [InlineData(303, "POST", "GET", false)]
    [InlineData(303, "PUT", "GET", false)]
    [InlineData(303, "HEAD", "HEAD", false)]
    [InlineData(301, "PUT", "PUT", true)]
    [InlineData(302, "DELETE", "DELETE", true)]
    [InlineData(307, "POST", "POST", true)]
    [InlineData(308, "PUT", "PUT", true)]
    [InlineData(302, "GET", "GET", false)]
    public async Task Each_status_keeps_or_changes_the_method_and_body_as_browsers_do(int status, string method, string expected, bool bodyKept)
    {
        var routes = new FakeRoutes(r => r.RequestUri!.AbsolutePath == "/start" ? Redirect(status, "/end") : Ok());
        using var client = routes.Client(new ProxyNetOptions());
        using var request = new HttpRequestMessage(new HttpMethod(method), "http://origin.test/start");
        if (method != "HEAD" && method != "GET")
        {
            request.Content = new StringContent("payload");
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var second = routes.Sent.Last();
        Assert.Equal("http://origin.test/end", second.Uri.ToString());
        Assert.Equal(expected, second.Method.Method);
        Assert.Equal(bodyKept ? "payload" : null, second.Body);
    }

    [Fact]
    public async Task A_chunked_POST_turned_into_a_GET_is_not_sent_chunked()
    {
        var routes = new FakeRoutes(r => r.RequestUri!.AbsolutePath == "/form" ? Redirect(303, "/result") : Ok());
        using var client = routes.Client(new ProxyNetOptions());
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://origin.test/form") { Content = new StringContent("a=1") };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        var sent = routes.Sent.ToList();
        Assert.True(sent[0].Chunked);
        Assert.NotEqual(true, sent[1].Chunked);
        Assert.Null(sent[1].Body);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public async Task MaxRedirects_hops_are_followed_and_the_next_redirect_is_returned(int max)
    {
        var routes = new FakeRoutes(r => Redirect(302, $"/r{int.Parse(r.RequestUri!.AbsolutePath[2..], System.Globalization.CultureInfo.InvariantCulture) + 1}"));
        using var client = routes.Client(new ProxyNetOptions(), new ProxyClientOptions { MaxRedirects = max });

        using var response = await client.GetAsync("http://origin.test/r0");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal($"/r{max + 1}", response.Headers.Location!.OriginalString);
        Assert.Equal(Enumerable.Range(0, max + 1).Select(i => $"/r{i}"), routes.Sent.Select(s => s.Uri.AbsolutePath));
    }

    [Fact]
    public async Task A_redirect_loop_ends_after_the_default_fifty_redirects()
    {
        var routes = new FakeRoutes(_ => Redirect(302, "/loop"));
        using var client = routes.Client(new ProxyNetOptions());

        using var response = await client.GetAsync("http://origin.test/loop");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(51, routes.Sent.Count());
    }

    [Fact]
    public async Task With_FollowRedirects_off_the_redirect_is_the_answer()
    {
        var routes = new FakeRoutes(_ => Redirect(302, "/elsewhere"));
        using var client = routes.Client(new ProxyNetOptions(), new ProxyClientOptions { FollowRedirects = false });

        using var response = await client.GetAsync("http://origin.test/start");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Single(routes.Sent);
    }

    [Theory]
    [InlineData("http://origin.test/a/b/start", "../c?q=1", "http://origin.test/a/c?q=1")]
    [InlineData("http://origin.test/start", "/end", "http://origin.test/end")]
    [InlineData("http://origin.test/start", "http://other.test:8080/x", "http://other.test:8080/x")]
    [InlineData("http://origin.test/start", "https://secure.test/x", "https://secure.test/x")]
    [InlineData("https://secure.test/start", "https://other.test/x", "https://other.test/x")]
    public async Task The_Location_is_resolved_against_the_request_URL(string from, string location, string to)
    {
        var routes = new FakeRoutes(r => r.RequestUri!.AbsolutePath.EndsWith("/start", StringComparison.Ordinal)
            ? Redirect(302, location, UriKind.RelativeOrAbsolute)
            : Ok());
        using var client = routes.Client(new ProxyNetOptions());

        using var response = await client.GetAsync(from);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(to, routes.Sent.Last().Uri.ToString());
    }

    [Theory]
    [InlineData("https://secure.test/start", 302, "http://plain.test/x")]
    [InlineData("http://origin.test/start", 302, "ftp://files.test/x")]
    [InlineData("http://origin.test/start", 301, "file:///etc/passwd")]
    [InlineData("http://origin.test/start", 300, "/choice")]
    [InlineData("http://origin.test/start", 304, "/cached")]
    public async Task A_redirect_it_must_not_follow_is_returned_to_the_caller(string from, int status, string location)
    {
        var routes = new FakeRoutes(_ => Redirect(status, location, UriKind.RelativeOrAbsolute));
        using var client = routes.Client(new ProxyNetOptions());

        using var response = await client.GetAsync(from);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Single(routes.Sent);
    }

    [Fact]
    public async Task A_redirect_without_Location_is_returned()
    {
        var routes = new FakeRoutes(_ => new HttpResponseMessage(HttpStatusCode.Found));
        using var client = routes.Client(new ProxyNetOptions());

        using var response = await client.GetAsync("http://origin.test/start");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Single(routes.Sent);
    }

    [Fact]
    public async Task Each_followed_redirect_response_is_disposed()
    {
        var contents = new List<HttpContent>();
        var routes = new FakeRoutes(r =>
        {
            if (r.RequestUri!.AbsolutePath == "/end")
            {
                return Ok();
            }

            var redirect = Redirect(302, "/end");
            redirect.Content = new StringContent("moved");
            lock (contents)
            {
                contents.Add(redirect.Content);
            }

            return redirect;
        });
        using var client = routes.Client(new ProxyNetOptions());

        using var response = await client.GetAsync("http://origin.test/start");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Assert.Single(contents).ReadAsStringAsync());
    }

    [Fact]
    public async Task Every_hop_is_routed_again_and_logged()
    {
        var logs = new ListLoggerProvider();
        var routes = new FakeRoutes(r => r.RequestUri!.Host == "proxied.test" ? Redirect(302, "http://internal.test/b") : Ok());
        using var client = routes.Client(
            new ProxyNetOptions { HttpProxy = "http://proxy.test:3128", ExcludedDomains = ["internal.test"] },
            logger: logs.CreateLogger("ProxyNet"));

        using var response = await client.GetAsync("http://proxied.test/a");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var hops = routes.Transports.SelectMany(t => t.Requests.Select(r => (t.Proxy?.Address, r.Uri.Host))).ToList();
        Assert.Equal([("http://proxy.test:3128", "proxied.test"), (null, "internal.test")], hops);
        Assert.Contains(logs.Lines, l => l.Contains("[5] Redirect 302 from http://proxied.test/a to http://internal.test/b: route decided again", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains("[1] GET http://internal.test/b goes DIRECT", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains("[1] GET http://proxied.test/a goes http://proxy.test:3128", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Through_a_real_proxy_a_redirect_to_a_NO_PROXY_host_goes_DIRECT()
    {
        using var origin = new Origin();
        await using var proxy = new RecordingProxy();
        origin.RedirectTo("/a", $"{origin.NameUrl}/hello-direct");
        var resolver = ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false, HttpProxy = proxy.Url, ExcludedDomains = ["localhost"] });
        using var client = new HttpClient(ProxyNetHandler.Create(resolver));

        Assert.Equal("hello from origin", await client.GetStringAsync($"{origin.IpUrl}/a"));

        Assert.Equal($"{origin.IpUrl}/a", Assert.Single(proxy.Requests).Target);
        Assert.Contains(origin.Server.LogEntries, e => e.RequestMessage.Path == "/hello-direct");
    }

    private static HttpResponseMessage Redirect(int status, string location, UriKind kind = UriKind.RelativeOrAbsolute)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status);
        response.Headers.Location = new Uri(location, kind);
        return response;
    }

    private static HttpResponseMessage Ok() => new(HttpStatusCode.OK) { Content = new StringContent("ok") };
}
