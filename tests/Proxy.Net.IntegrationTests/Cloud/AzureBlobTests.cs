using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using ProxyNet.Azure;
using ProxyNet.DependencyInjection;
using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.IntegrationTests.Cloud;

/// <summary>The real Azure.Storage.Blobs client against azurite, routed by a named Proxy.Net client and proven by squid's access log.</summary>
[Collection(CloudServersCollection.Name)]
public sealed class AzureBlobTests(CloudServers servers)
{
    [Fact]
    public async Task A_blob_client_on_a_proxied_name_uploads_and_downloads_through_squid()
    {
        using var sp = CloudClients.Build(o => o.HttpProxy = servers.Squid.Url, s => s.AddHttpClient("blob").AddProxySupport());
        string marker = CloudClients.NewMarker();

        await UploadAndDownloadAsync(Blobs(sp, "blob"), marker);

        string put = await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"PUT {servers.Azurite.BlobEndpoint}/{marker}/{marker}.txt");
        Assert.Contains("TCP_MISS/201", put, StringComparison.Ordinal);
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"GET {servers.Azurite.BlobEndpoint}/{marker}/{marker}.txt");
    }

    [Fact]
    public async Task The_synchronous_methods_go_the_same_way()
    {
        using var sp = CloudClients.Build(o => o.HttpProxy = servers.Squid.Url, s => s.AddHttpClient("blob").AddProxySupport());
        string marker = CloudClients.NewMarker();
        var container = Blobs(sp, "blob").GetBlobContainerClient(marker);

        container.Create();
        container.GetBlobClient($"{marker}.txt").Upload(BinaryData.FromString($"hello {marker}"));
        Assert.Equal($"hello {marker}", container.GetBlobClient($"{marker}.txt").DownloadContent().Value.Content.ToString());

        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"GET {servers.Azurite.BlobEndpoint}/{marker}/{marker}.txt");
    }

    [Fact]
    public async Task A_blob_client_on_a_BypassGlobalProxy_name_works_and_squid_sees_nothing()
    {
        using var sp = CloudClients.Build(o => o.HttpProxy = servers.Squid.Url, s => s.AddHttpClient("blob-direct").BypassGlobalProxy());
        string marker = CloudClients.NewMarker();

        await UploadAndDownloadAsync(Blobs(sp, "blob-direct"), marker);

        await LogFile.AssertNoLineAsync(() => servers.Squid.AccessLog, marker);
    }

    [Fact]
    public async Task A_wrong_proxy_password_is_the_SDKs_exception_with_our_message_and_no_password()
    {
        string proxy = $"http://{RealProxies.User}:wrong-hunter2@127.0.0.1:{servers.AuthSquid.Port}";
        var logs = new ListLoggerProvider();
        using var sp = CloudClients.Build(o => o.HttpProxy = proxy, s => s.AddHttpClient("blob").AddProxySupport(), logs);
        var options = new BlobClientOptions { Transport = ProxyNetAzureTransport.Create(sp.GetRequiredService<IHttpClientFactory>(), "blob") };
        options.Retry.MaxRetries = 0;
        var blobs = new BlobServiceClient(servers.Azurite.BlobEndpoint, new StorageSharedKeyCredential(AzuriteServer.Account, AzuriteServer.Key), options);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => blobs.GetBlobContainerClient(CloudClients.NewMarker()).CreateAsync());

        var ours = Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Equal(System.Net.HttpStatusCode.ProxyAuthenticationRequired, ours.StatusCode);
        Assert.Contains($"Proxy http://127.0.0.1:{servers.AuthSquid.Port} (Proxy:HttpProxy) rejected the credentials for user '{RealProxies.User}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(logs.Lines, l => l.StartsWith("Debug ProxyNet[1] PUT http://127.0.0.1:", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("hunter2", StringComparison.Ordinal));
    }

    private BlobServiceClient Blobs(IServiceProvider sp, string clientName) => new(
        servers.Azurite.BlobEndpoint,
        new StorageSharedKeyCredential(AzuriteServer.Account, AzuriteServer.Key),
        new BlobClientOptions { Transport = ProxyNetAzureTransport.Create(sp.GetRequiredService<IHttpClientFactory>(), clientName) });

    private static async Task UploadAndDownloadAsync(BlobServiceClient blobs, string marker)
    {
        var container = blobs.GetBlobContainerClient(marker);
        await container.CreateAsync();
        await container.GetBlobClient($"{marker}.txt").UploadAsync(BinaryData.FromString($"hello {marker}"));
        var download = await container.GetBlobClient($"{marker}.txt").DownloadContentAsync();
        Assert.Equal($"hello {marker}", download.Value.Content.ToString());
    }
}
