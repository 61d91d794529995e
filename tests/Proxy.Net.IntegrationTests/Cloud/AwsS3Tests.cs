using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using ProxyNet.Aws;
using ProxyNet.DependencyInjection;
using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.IntegrationTests.Cloud;

/// <summary>The real AWSSDK.S3 client against s3rver, routed by a named Proxy.Net client and proven by squid's access log.</summary>
[Collection(CloudServersCollection.Name)]
public sealed class AwsS3Tests(CloudServers servers)
{
    [Fact]
    public async Task An_S3_client_on_a_proxied_name_puts_and_gets_through_squid()
    {
        using var sp = CloudClients.Build(
            o => o.HttpProxy = servers.Squid.Url,
            s => s.AddHttpClient("s3").AddProxySupport().AddAwsClient<IAmazonS3, AmazonS3Config>(
                config => new AmazonS3Client(Credentials, config),
                ForS3rver));
        string marker = CloudClients.NewMarker();

        await PutAndGetAsync(sp.GetRequiredService<IAmazonS3>(), marker);

        string put = await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"PUT {servers.S3.Url}/{marker}/{marker}.txt");
        Assert.Contains("TCP_MISS/200", put, StringComparison.Ordinal);
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"GET {servers.S3.Url}/{marker}/{marker}.txt");
    }

    [Fact]
    public async Task An_S3_client_on_a_BypassGlobalProxy_name_works_and_squid_sees_nothing()
    {
        using var sp = CloudClients.Build(
            o => o.HttpProxy = servers.Squid.Url,
            s => s.AddHttpClient("s3-direct").BypassGlobalProxy());
        var config = new AmazonS3Config { HttpClientFactory = new ProxyNetAwsHttpClientFactory(sp.GetRequiredService<IHttpClientFactory>(), "s3-direct") };
        ForS3rver(config);
        using var s3 = new AmazonS3Client(Credentials, config);
        string marker = CloudClients.NewMarker();

        await PutAndGetAsync(s3, marker);

        await LogFile.AssertNoLineAsync(() => servers.Squid.AccessLog, marker);
    }

    [Fact]
    public async Task A_wrong_proxy_password_comes_out_of_the_SDK_as_our_407_without_the_password()
    {
        string proxy = $"http://{RealProxies.User}:wrong-hunter2@127.0.0.1:{servers.AuthSquid.Port}";
        var logs = new ListLoggerProvider();
        using var sp = CloudClients.Build(o => o.HttpProxy = proxy, s => s.AddHttpClient("s3").AddProxySupport(), logs);
        var config = new AmazonS3Config { HttpClientFactory = new ProxyNetAwsHttpClientFactory(sp.GetRequiredService<IHttpClientFactory>(), "s3") };
        ForS3rver(config);
        using var s3 = new AmazonS3Client(Credentials, config);

        // The AWS SDK passes transport failures (DNS, refused connections, this one) through unwrapped, after its retries.
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => s3.PutBucketAsync(CloudClients.NewMarker()));

        Assert.Equal(System.Net.HttpStatusCode.ProxyAuthenticationRequired, error.StatusCode);
        Assert.Contains($"Proxy http://127.0.0.1:{servers.AuthSquid.Port} (Proxy:HttpProxy) rejected the credentials for user '{RealProxies.User}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Amazon.Runtime", error.StackTrace, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(logs.Lines, l => l.StartsWith("Debug ProxyNet[1] PUT http://127.0.0.1:", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public void The_SDKs_own_proxy_settings_are_refused_with_a_message_naming_the_client()
    {
        using var sp = CloudClients.Build(_ => { }, s => s.AddHttpClient("s3").AddProxySupport());
        var factory = new ProxyNetAwsHttpClientFactory(sp.GetRequiredService<IHttpClientFactory>(), "s3");

        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateHttpClient(new AmazonS3Config { ProxyHost = "other", ProxyPort = 8080 }));

        Assert.Contains("HttpClient 's3'", error.Message, StringComparison.Ordinal);
    }

    private static BasicAWSCredentials Credentials => new("S3RVER", "S3RVER");

    private void ForS3rver(AmazonS3Config config)
    {
        // What s3rver understands: path-style URLs, checksums only where S3 requires them, no aws-chunked bodies.
        config.ServiceURL = servers.S3.Url;
        config.ForcePathStyle = true;
        config.AuthenticationRegion = "us-east-1";
        config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
        config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
    }

    private static async Task PutAndGetAsync(IAmazonS3 s3, string marker)
    {
        await s3.PutBucketAsync(marker);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = marker, Key = $"{marker}.txt", ContentBody = $"hello {marker}", UseChunkEncoding = false });
        using var response = await s3.GetObjectAsync(marker, $"{marker}.txt");
        using var reader = new StreamReader(response.ResponseStream);
        Assert.Equal($"hello {marker}", await reader.ReadToEndAsync());
    }
}
