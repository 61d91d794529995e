using System.Security.Cryptography;
using System.Text;
using Google.Apis.Auth.OAuth2;
using Google.Cloud.Storage.V1;
using Microsoft.Extensions.DependencyInjection;
using ProxyNet.DependencyInjection;
using ProxyNet.Google;
using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.IntegrationTests.Cloud;

/// <summary>
/// The real Google.Cloud.Storage.V1 client and a scoped service-account credential against a loopback GCS and OAuth2
/// fake, routed by a named Proxy.Net client and proven by squid's access log: data and token requests alike.
/// </summary>
[Collection(CloudServersCollection.Name)]
public sealed class GoogleCloudStorageTests(CloudServers servers)
{
    [Fact]
    public async Task A_storage_client_on_a_proxied_name_sends_its_data_and_token_requests_through_squid()
    {
        await using var gcs = await GcsFake.StartAsync();
        using var sp = CloudClients.Build(o => o.HttpProxy = servers.Squid.Url, s => s.AddHttpClient("gcs").AddProxySupport());
        string marker = CloudClients.NewMarker();

        await RoundTripAsync(Storage(sp, "gcs", gcs), marker);

        string token = await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"POST {gcs.Url}/token");
        Assert.Contains("TCP_MISS/200", token, StringComparison.Ordinal);
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"POST {gcs.Url}/upload/storage/v1/b/{marker}/o");
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"PUT {gcs.Url}/upload/storage/v1/b/{marker}/o");
        // squid logs a URL without its query (strip_query_terms): "o?" is the list, "o/NAME?" the download.
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"GET {gcs.Url}/storage/v1/b/{marker}/o?");
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"GET {gcs.Url}/storage/v1/b/{marker}/o/{marker}.txt?");
        Assert.Contains(gcs.Received, r => r.PathAndQuery.StartsWith($"/storage/v1/b/{marker}/o/{marker}.txt?", StringComparison.Ordinal) && r.PathAndQuery.Contains("alt=media", StringComparison.Ordinal));
        Assert.All(gcs.Received.Where(r => r.PathAndQuery != "/token"), r => Assert.Equal($"Bearer {GcsFake.AccessToken}", r.Authorization));
    }

    [Fact]
    public async Task A_storage_client_on_a_BypassGlobalProxy_name_works_and_squid_sees_neither_data_nor_token()
    {
        await using var gcs = await GcsFake.StartAsync();
        using var sp = CloudClients.Build(o => o.HttpProxy = servers.Squid.Url, s => s.AddHttpClient("gcs-direct").BypassGlobalProxy());
        string marker = CloudClients.NewMarker();

        await RoundTripAsync(Storage(sp, "gcs-direct", gcs), marker);

        Assert.Contains(gcs.Received, r => r.Method == "POST" && r.PathAndQuery == "/token");
        await LogFile.AssertNoLineAsync(() => servers.Squid.AccessLog, $"127.0.0.1:{gcs.Port}/");
    }

    [Fact]
    public async Task The_credential_follows_the_factory_it_is_routed_by_not_the_storage_clients()
    {
        // Data DIRECT, tokens through the proxy: the two are separate settings, and Route() sets the token one.
        await using var gcs = await GcsFake.StartAsync();
        using var sp = CloudClients.Build(o => o.HttpProxy = servers.Squid.Url, s =>
        {
            s.AddHttpClient("gcs-direct").BypassGlobalProxy();
            s.AddHttpClient("tokens").AddProxySupport();
        });
        var factory = sp.GetRequiredService<IHttpClientFactory>();
        var storage = new StorageClientBuilder
        {
            HttpClientFactory = new ProxyNetGoogleHttpClientFactory(factory, "gcs-direct"),
            GoogleCredential = new ProxyNetGoogleHttpClientFactory(factory, "tokens").Route(ServiceAccount(gcs)),
            BaseUri = $"{gcs.Url}/storage/v1/",
            UseJwtAccessWithScopes = false,
        }.Build();
        string marker = CloudClients.NewMarker();

        await RoundTripAsync(storage, marker);

        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"POST {gcs.Url}/token");
        await LogFile.AssertNoLineAsync(() => servers.Squid.AccessLog, marker);
    }

    [Fact]
    public async Task A_wrong_proxy_password_comes_out_of_the_SDK_with_our_407_text_and_without_the_password()
    {
        await using var gcs = await GcsFake.StartAsync();
        string proxy = $"http://{RealProxies.User}:wrong-hunter2@127.0.0.1:{servers.AuthSquid.Port}";
        var logs = new ListLoggerProvider();
        using var sp = CloudClients.Build(o => o.HttpProxy = proxy, s => s.AddHttpClient("gcs").AddProxySupport(), logs);
        var storage = Storage(sp, "gcs", gcs);

        // The token request is the first to go, and the first to meet the proxy's 407.
        var error = await Assert.ThrowsAnyAsync<Exception>(() => storage.DownloadObjectAsync(CloudClients.NewMarker(), "x.txt", new MemoryStream()));

        Assert.Contains($"Proxy http://127.0.0.1:{servers.AuthSquid.Port} (Proxy:", error.ToString(), StringComparison.Ordinal);
        Assert.Contains($") rejected the credentials for user '{RealProxies.User}'", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Google.Apis", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(gcs.Received);
        Assert.Contains(logs.Lines, l => l.StartsWith($"Debug ProxyNet[1] POST {gcs.Url}/token", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public void The_factory_refuses_missing_arguments_and_a_factory_without_handler_chains()
    {
        using var sp = CloudClients.Build(_ => { }, s => s.AddHttpClient("gcs").AddProxySupport());
        var factory = sp.GetRequiredService<IHttpClientFactory>();

        Assert.Throws<ArgumentNullException>("httpClientFactory", () => new ProxyNetGoogleHttpClientFactory(null!, "gcs"));
        Assert.Throws<ArgumentNullException>("clientName", () => new ProxyNetGoogleHttpClientFactory(factory, null!));
        Assert.Throws<ArgumentNullException>("credential", () => new ProxyNetGoogleHttpClientFactory(factory, "gcs").Route(null!));
        var error = Assert.Throws<ArgumentException>("httpClientFactory", () => new ProxyNetGoogleHttpClientFactory(new ClientsOnly(), "gcs"));
        Assert.Contains("IHttpMessageHandlerFactory", error.Message, StringComparison.Ordinal);
        Assert.Equal("gcs", new ProxyNetGoogleHttpClientFactory(factory, "gcs").ClientName);
    }

    private static StorageClient Storage(IServiceProvider sp, string clientName, LoopbackApp gcs)
    {
        var http = new ProxyNetGoogleHttpClientFactory(sp.GetRequiredService<IHttpClientFactory>(), clientName);
        return new StorageClientBuilder
        {
            HttpClientFactory = http,
            GoogleCredential = http.Route(ServiceAccount(gcs)),
            BaseUri = $"{gcs.Url}/storage/v1/",
            UseJwtAccessWithScopes = false,
        }.Build();
    }

    /// <summary>
    /// A service account with a key made here and its token endpoint on the fake. Scoped, so it asks that endpoint
    /// for a token: an unscoped one signs a JWT for itself and never calls it.
    /// </summary>
    private static GoogleCredential ServiceAccount(LoopbackApp gcs)
    {
        using var rsa = RSA.Create(2048);
        var initializer = new ServiceAccountCredential.Initializer("proxynet@proxynet-test.iam.gserviceaccount.com", $"{gcs.Url}/token")
        {
            Scopes = ["https://www.googleapis.com/auth/devstorage.read_write"],
        };
        return GoogleCredential.FromServiceAccountCredential(new ServiceAccountCredential(initializer.FromPrivateKey(rsa.ExportPkcs8PrivateKeyPem())));
    }

    private static async Task RoundTripAsync(StorageClient storage, string marker)
    {
        string text = $"hello {marker}";
        await storage.UploadObjectAsync(marker, $"{marker}.txt", "text/plain", new MemoryStream(Encoding.UTF8.GetBytes(text)));
        var listed = new List<string>();
        await foreach (var item in storage.ListObjectsAsync(marker, marker))
        {
            listed.Add(item.Name);
        }

        Assert.Equal([$"{marker}.txt"], listed);
        using var downloaded = new MemoryStream();
        await storage.DownloadObjectAsync(marker, $"{marker}.txt", downloaded);
        Assert.Equal(text, Encoding.UTF8.GetString(downloaded.ToArray()));
    }

    private sealed class ClientsOnly : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new();
    }
}
