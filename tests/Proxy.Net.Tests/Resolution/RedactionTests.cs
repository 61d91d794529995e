using ProxyNet.Resolution;

namespace ProxyNet.Tests.Resolution;

public sealed class RedactionTests
{
    [Theory]
    [InlineData("http://user:secret@example.com/a/b?token=secret", "http://example.com/a/b")]
    [InlineData("https://example.com:8443/a%20b/?x=1", "https://example.com:8443/a%20b/")]
    [InlineData("http://127.0.0.1:9000/bucket/key.txt", "http://127.0.0.1:9000/bucket/key.txt")]
    [InlineData("http://[::1]:80/", "http://[::1]/")]
    public void A_URL_for_people_has_no_user_information_and_no_query(string url, string expected) =>
        Assert.Equal(expected, Redaction.Url(new Uri(url)));

    [Fact]
    public void A_URL_whose_path_is_not_canonicalized_is_redacted_too()
    {
        // The AWS SDK makes its request URIs this way; GetComponents(Path) throws for them.
        var uri = new Uri("http://user:secret@127.0.0.1:9000/bucket/a%2Fb.txt?X-Amz-Signature=secret", new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });

        Assert.Equal("http://127.0.0.1:9000/bucket/a%2Fb.txt", Redaction.Url(uri));
    }
}
