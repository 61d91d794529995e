using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SSO;
using Amazon.SSOOIDC;
using Microsoft.Extensions.DependencyInjection;
using ProxyNet.Aws;
using ProxyNet.DependencyInjection;
using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.IntegrationTests.Cloud;

/// <summary>
/// AWS credentials from a loopback fake of STS / SSO / SSO-OIDC, on the named client's route (proven by squid's log),
/// then used by the real S3 client against s3rver: s3rver takes only the key the fake hands out, never the source key.
/// </summary>
[Collection(CloudServersCollection.Name)]
public sealed class AwsCredentialTests(CloudServers servers)
{
    // s3rver refuses this key: a data request that succeeds signed with the credentials from the fake.
    private static readonly BasicAWSCredentials Source = new("SOURCEKEY", "source-secret");

    [Fact]
    public async Task AssumeRole_on_a_proxied_name_asks_STS_through_squid_and_S3_uses_the_role_credentials()
    {
        await using var sts = await FakeAwsCredentialEndpoint.StartAsync();
        using var sp = CloudClients.Build(o => o.HttpProxy = servers.Squid.Url, s => s.AddHttpClient("s3").AddProxySupport());
        var route = Route(sp, "s3");
        using var stsClient = new AmazonSecurityTokenServiceClient(Source, new AmazonSecurityTokenServiceConfig { HttpClientFactory = route, ServiceURL = sts.Url, AuthenticationRegion = "us-east-1" });
        string marker = CloudClients.NewMarker();

        await PutAndGetAsync(ProxyNetAwsCredentials.AssumeRole(stsClient, "arn:aws:iam::123456789012:role/fake", marker), route, marker);

        string line = await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"POST {sts.Url}/");
        Assert.Contains("TCP_MISS/200", line, StringComparison.Ordinal);
        var assume = Assert.Single(sts.Requests, r => r.Action == "AssumeRole");
        Assert.Contains("Credential=SOURCEKEY/", assume.Headers["Authorization"], StringComparison.Ordinal);
        Assert.Contains("squid", assume.Headers["Via"], StringComparison.Ordinal);
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"PUT {servers.S3.Url}/{marker}/{marker}.txt");
    }

    [Fact]
    public async Task Web_identity_on_a_BypassGlobalProxy_name_works_and_squid_sees_neither_STS_nor_S3()
    {
        await using var sts = await FakeAwsCredentialEndpoint.StartAsync();
        using var sp = CloudClients.Build(o => o.HttpProxy = servers.Squid.Url, s => s.AddHttpClient("s3-direct").BypassGlobalProxy());
        var route = Route(sp, "s3-direct");
        using var stsClient = new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), new AmazonSecurityTokenServiceConfig { HttpClientFactory = route, ServiceURL = sts.Url, AuthenticationRegion = "us-east-1" });
        string tokenFile = Path.Combine(Directory.CreateTempSubdirectory("proxynet-oidc-").FullName, "token");
        await File.WriteAllTextAsync(tokenFile, "fake.oidc.token");
        string marker = CloudClients.NewMarker();

        await PutAndGetAsync(ProxyNetAwsCredentials.AssumeRoleWithWebIdentity(stsClient, tokenFile, "arn:aws:iam::123456789012:role/fake", marker), route, marker);

        var assume = Assert.Single(sts.Requests, r => r.Action == "AssumeRoleWithWebIdentity");
        Assert.False(assume.Headers.ContainsKey("Via"));
        await LogFile.AssertNoLineAsync(() => servers.Squid.AccessLog, sts.Url);
        await LogFile.AssertNoLineAsync(() => servers.Squid.AccessLog, marker);
        Directory.Delete(Path.GetDirectoryName(tokenFile)!, recursive: true);
    }

    [Fact]
    public async Task SSO_refreshes_its_token_on_SSO_OIDC_and_gets_role_credentials_through_squid()
    {
        await using var fake = await FakeAwsCredentialEndpoint.StartAsync();
        using var sp = CloudClients.Build(o => o.HttpProxy = servers.Squid.Url, s => s.AddHttpClient("s3").AddProxySupport());
        var route = Route(sp, "s3");
        using var sso = new AmazonSSOClient(new AnonymousAWSCredentials(), new AmazonSSOConfig { HttpClientFactory = route, ServiceURL = fake.Url, AuthenticationRegion = "eu-west-1" });
        using var oidc = new AmazonSSOOIDCClient(new AnonymousAWSCredentials(), new AmazonSSOOIDCConfig { HttpClientFactory = route, ServiceURL = fake.Url, AuthenticationRegion = "eu-west-1" });
        string cache = Directory.CreateTempSubdirectory("proxynet-sso-cache-").FullName;
        WriteExpiredSsoToken(cache, "proxynet");
        string marker = CloudClients.NewMarker();

        var credentials = ProxyNetAwsCredentials.Sso(sso, oidc, "123456789012", "eu-west-1", "ReadWrite", "https://fake.awsapps.com/start",
            new SSOAWSCredentialsOptions { SessionName = "proxynet" }, cache);
        await PutAndGetAsync(credentials, route, marker);

        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"POST {fake.Url}/token");
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"GET {fake.Url}/federation/credentials");
        Assert.Contains(FakeAwsCredentialEndpoint.RefreshedSsoToken, await File.ReadAllTextAsync(Directory.GetFiles(cache).Single()), StringComparison.Ordinal);
        Directory.Delete(cache, recursive: true);
    }

    [Fact]
    public async Task A_wrong_proxy_password_on_the_STS_call_surfaces_with_our_words_and_no_password()
    {
        await using var sts = await FakeAwsCredentialEndpoint.StartAsync();
        string proxy = $"http://{RealProxies.User}:wrong-hunter2@127.0.0.1:{servers.AuthSquid.Port}";
        var logs = new ListLoggerProvider();
        using var sp = CloudClients.Build(o => o.HttpProxy = proxy, s => s.AddHttpClient("s3").AddProxySupport(), logs);
        var route = Route(sp, "s3");
        using var stsClient = new AmazonSecurityTokenServiceClient(Source, new AmazonSecurityTokenServiceConfig { HttpClientFactory = route, ServiceURL = sts.Url, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        using var s3 = new AmazonS3Client(ProxyNetAwsCredentials.AssumeRole(stsClient, "arn:aws:iam::123456789012:role/fake", "s"), S3Config(route));

        // The SDK wraps the failed refresh ("Error calling AssumeRole for role …") around our 407.
        var error = await Assert.ThrowsAsync<AmazonClientException>(() => s3.PutBucketAsync(CloudClients.NewMarker()));

        Assert.StartsWith("Error calling AssumeRole for role arn:aws:iam::123456789012:role/fake", error.Message, StringComparison.Ordinal);
        var ours = Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Equal(System.Net.HttpStatusCode.ProxyAuthenticationRequired, ours.StatusCode);
        Assert.Contains($"Proxy http://127.0.0.1:{servers.AuthSquid.Port} (Proxy:", ours.Message, StringComparison.Ordinal);
        Assert.Contains($") rejected the credentials for user '{RealProxies.User}'", ours.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, l => l.Contains("hunter2", StringComparison.Ordinal));
        Assert.Empty(sts.Requests);
    }

    [Fact]
    public void A_credential_client_without_our_factory_or_with_its_own_proxy_is_refused()
    {
        using var sp = CloudClients.Build(_ => { }, s => s.AddHttpClient("s3").AddProxySupport());
        using var unrouted = new AmazonSecurityTokenServiceClient(Source, new AmazonSecurityTokenServiceConfig { ServiceURL = "http://127.0.0.1:9" });
        using var routed = new AmazonSecurityTokenServiceClient(Source, new AmazonSecurityTokenServiceConfig { HttpClientFactory = Route(sp, "s3"), ServiceURL = "http://127.0.0.1:9" });

        var error = Assert.Throws<ArgumentException>(() => ProxyNetAwsCredentials.AssumeRole(unrouted, "arn:aws:iam::1:role/r", "s"));
        Assert.Contains("has no ProxyNetAwsHttpClientFactory", error.Message, StringComparison.Ordinal);
        var proxy = Assert.Throws<ArgumentException>(() => ProxyNetAwsCredentials.AssumeRole(routed, "arn:aws:iam::1:role/r", "s",
            new AssumeRoleAWSCredentialsOptions { ProxySettings = new System.Net.WebProxy("http://other:8080") }));
        Assert.Contains("ProxySettings", proxy.Message, StringComparison.Ordinal);
    }

    private static ProxyNetAwsHttpClientFactory Route(IServiceProvider sp, string name) => new(sp.GetRequiredService<IHttpClientFactory>(), name);

    private AmazonS3Config S3Config(ProxyNetAwsHttpClientFactory route) => new()
    {
        HttpClientFactory = route,
        ServiceURL = servers.S3.Url,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        MaxErrorRetry = 0,
    };

    private async Task PutAndGetAsync(AWSCredentials credentials, ProxyNetAwsHttpClientFactory route, string marker)
    {
        using var s3 = new AmazonS3Client(credentials, S3Config(route));
        await s3.PutBucketAsync(marker);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = marker, Key = $"{marker}.txt", ContentBody = $"hello {marker}", UseChunkEncoding = false });
        using var response = await s3.GetObjectAsync(marker, $"{marker}.txt");
        using var reader = new StreamReader(response.ResponseStream);
        Assert.Equal($"hello {marker}", await reader.ReadToEndAsync());
    }

    /// <summary>The token <c>aws sso login</c> leaves, expired an hour ago but refreshable: the next use calls SSO-OIDC.</summary>
    private static void WriteExpiredSsoToken(string cache, string session)
    {
        // The SDK names the cache file by the SHA-1 of the session name: a file name, not a security measure.
#pragma warning disable CA5350
        byte[] hash = SHA1.HashData(Encoding.UTF8.GetBytes(session));
#pragma warning restore CA5350
        string name = string.Concat(hash.Select(b => b.ToString("x2", CultureInfo.InvariantCulture))) + ".json";
        string Time(TimeSpan from) => DateTime.UtcNow.Add(from).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        File.WriteAllText(Path.Combine(cache, name), JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["startUrl"] = "https://fake.awsapps.com/start",
            ["region"] = "eu-west-1",
            ["accessToken"] = "expired-sso-access-token",
            ["expiresAt"] = Time(TimeSpan.FromHours(-1)),
            ["clientId"] = "fake-client",
            ["clientSecret"] = "fake-client-secret",
            ["registrationExpiresAt"] = Time(TimeSpan.FromDays(30)),
            ["refreshToken"] = "fake-refresh-token",
        }));
    }
}
