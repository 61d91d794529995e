using ProxyNet.Resolution;

namespace ProxyNet.Tests.Resolution;

/// <summary>No password (and no query token) leaves the library in a URL, an explanation or a configuration error.</summary>
public sealed class RedactionTests
{
    [Theory]
    [InlineData("http://alice:secret@example.com/a/b?sig=token#frag", "http://example.com/a/b")]
    [InlineData("ftp://alice:secret@127.0.0.1:2121/in/report.csv", "ftp://127.0.0.1:2121/in/report.csv")]
    [InlineData("https://alice@[::1]:8443/", "https://[::1]:8443/")]
    [InlineData("https://example.com/", "https://example.com/")]
    public void A_URL_keeps_scheme_host_port_and_path_only(string url, string expected)
    {
        Assert.Equal(expected, Redaction.Url(new Uri(url)));
    }

    [Theory]
    [InlineData("http://alice:secret@exa mple/x?y=1", "http://exa mple/x")]
    [InlineData("alice:se/cret@host", "host")]
    [InlineData("not a url", "not a url")]
    public void Text_that_is_not_a_URL_loses_everything_up_to_its_last_at_sign(string text, string expected)
    {
        Assert.Equal(expected, Redaction.Url(text));
    }

    [Fact]
    public void Explain_shows_the_URL_without_password_or_query()
    {
        var resolver = ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false, HttpProxy = "http://bob:proxypw@proxy:3128" });
        string text = resolver.Explain(new Uri("http://alice:hunter2@example.com/file?sig=token123"));
        Assert.Contains("URL:       http://example.com/file", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("token123", text, StringComparison.Ordinal);
        Assert.DoesNotContain("proxypw", text, StringComparison.Ordinal);
    }

    [Theory]
    // the '@' mistyped: "user:password" reads as host and port
    [InlineData("http://alice:hunter2#proxy.corp:3128")]
    [InlineData("http://alice:hunter2/proxy.corp:3128")]
    [InlineData("http://alice:hunter2?proxy.corp:3128")]
    [InlineData("alice:hunter2")]
    [InlineData("http://alice:hunter2!proxy.corp")]
    [InlineData("http://alice:hunter2 proxy.corp:3128")]
    // the '@' in the wrong place, a port that is not a number after a password
    [InlineData("alice:hunter2@http://proxy.corp:3128")]
    [InlineData("http://alice:hunter2@proxy.corp:31x8")]
    public void A_configuration_error_quotes_no_user_information(string value)
    {
        foreach (var settings in new[]
        {
            ProxySettings.Compile(null, Env.Parse($"HTTP_PROXY={value}")),
            ProxySettings.Compile(new ProxyNetOptions { UseEnvironment = false, HttpProxy = value }, _ => null),
            ProxySettings.Compile(new ProxyNetOptions { UseEnvironment = false, HttpProxy = $"http://good:3128, {value}" }, _ => null),
        })
        {
            var decision = settings.Resolve(new Uri("http://example.com/"));
            Assert.True(decision.IsError, value);
            Assert.DoesNotContain("hunter2", decision.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("alice", decision.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", string.Join("\n", settings.Trails.SelectMany(t => t)), StringComparison.Ordinal);
        }

        string explained = new ProxyResolver(() => ProxySettings.Compile(null, Env.Parse($"HTTP_PROXY={value}"))).Explain(new Uri("http://example.com/"));
        Assert.DoesNotContain("hunter2", explained, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("proxy.corp:3128, http://backup:3128", "more than one address")]
    [InlineData("http ://proxy.corp:3128", "a space")]
    [InlineData("proxy corp://x", "a space")]
    [InlineData("1http://proxy.corp", "not a scheme")]
    [InlineData("foo://proxy.corp", "unsupported proxy scheme 'foo'")]
    public void A_value_that_is_not_one_proxy_URL_says_what_is_wrong(string value, string expected)
    {
        var decision = ProxySettings.Compile(null, Env.Parse($"HTTP_PROXY={value}")).Resolve(new Uri("http://example.com/"));
        Assert.True(decision.IsError);
        Assert.Contains(expected, decision.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://\u200d.com/")]
    [InlineData("http://\u2488.com/")]
    [InlineData("ftp://\u00e9-.example/")]
    public void A_host_without_an_IDN_form_is_an_error_decision_never_an_exception(string url)
    {
        Assert.True(Uri.TryCreate(url, UriKind.Absolute, out var uri));
        foreach (string environment in new[] { "HTTP_PROXY=http://p:3128|FTP_PROXY=http://p:3128|NO_PROXY=example.com", string.Empty })
        {
            var resolver = new ProxyResolver(() => ProxySettings.Compile(null, Env.Parse(environment)));
            var decision = resolver.Resolve(uri!);
            Assert.True(decision.IsError);
            Assert.Contains("international", decision.Error, StringComparison.Ordinal);
            Assert.Contains("ERROR", resolver.Explain(uri!), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("https://example.com:8443/a%20b/?x=1", "https://example.com:8443/a%20b/")]
    [InlineData("http://[::1]:80/", "http://[::1]/")]
    public void A_URL_keeps_its_escaping_and_drops_a_default_port(string url, string expected) =>
        Assert.Equal(expected, Redaction.Url(new Uri(url)));

    [Fact]
    public void A_URL_whose_path_is_not_canonicalized_is_redacted_too()
    {
        // The AWS SDK makes its request URIs this way; GetComponents(Path) throws for them.
        var uri = new Uri("http://user:secret@127.0.0.1:9000/bucket/a%2Fb.txt?X-Amz-Signature=secret", new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });

        Assert.Equal("http://127.0.0.1:9000/bucket/a%2Fb.txt", Redaction.Url(uri));
    }
}
