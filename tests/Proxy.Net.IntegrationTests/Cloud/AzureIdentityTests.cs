using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using ProxyNet.Azure;
using ProxyNet.DependencyInjection;
using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.IntegrationTests.Cloud;

/// <summary>
/// The real Azure.Identity <see cref="ClientSecretCredential"/> against a fake Entra token endpoint and the real blob
/// client against azurite (HTTPS, OAuth), both on the named client's route by one <see cref="ProxyNetAzureTransport.Route"/>
/// call: squid's log shows the tunnel to the token endpoint and to azurite, and azurite accepts the token obtained.
/// </summary>
[Collection(CloudServersCollection.Name)]
public sealed class AzureIdentityTests(CloudServers servers, AzureIdentityServers identity) : IClassFixture<AzureIdentityServers>
{
    [Fact]
    public async Task A_client_secret_credential_on_a_proxied_name_gets_its_token_through_squid_and_the_blob_client_uses_it()
    {
        string tokenTunnel = $"CONNECT 127.0.0.1:{identity.Entra.Port}";
        string dataTunnel = $"CONNECT 127.0.0.1:{identity.Azurite.Port}";
        int tokensBefore = LogFile.Count(servers.Squid.AccessLog, tokenTunnel);
        int dataBefore = LogFile.Count(servers.Squid.AccessLog, dataTunnel);
        int requestsBefore = identity.Entra.Requests.Count;

        using (var sp = Build(o => o.HttpProxy = o.HttpsProxy = servers.Squid.Url, s => s.AddHttpClient("blob").AddProxySupport()))
        {
            await UploadAndDownloadAsync(Blobs(sp, "blob"), CloudClients.NewMarker());
        }

        // Squid writes a CONNECT line when its tunnel closes: the provider (and its connections) is gone by now.
        Assert.Contains("TCP_TUNNEL/200", await LogFile.WaitForNewLineAsync(() => servers.Squid.AccessLog, tokenTunnel, tokensBefore), StringComparison.Ordinal);
        await LogFile.WaitForNewLineAsync(() => servers.Squid.AccessLog, dataTunnel, dataBefore);
        Assert.Contains($"POST /{FakeEntraEndpoint.Tenant}/oauth2/v2.0/token", identity.Entra.Requests.Skip(requestsBefore));
    }

    [Fact]
    public async Task On_a_BypassGlobalProxy_name_the_token_and_the_data_go_direct_and_squid_sees_neither()
    {
        int before = LogFile.Count(servers.Squid.AccessLog, $"127.0.0.1:{identity.Entra.Port}") + LogFile.Count(servers.Squid.AccessLog, $"127.0.0.1:{identity.Azurite.Port}");
        int requestsBefore = identity.Entra.Requests.Count;

        using (var sp = Build(o => o.HttpProxy = o.HttpsProxy = servers.Squid.Url, s => s.AddHttpClient("blob-direct").BypassGlobalProxy()))
        {
            await UploadAndDownloadAsync(Blobs(sp, "blob-direct"), CloudClients.NewMarker());
        }

        Assert.Contains($"POST /{FakeEntraEndpoint.Tenant}/oauth2/v2.0/token", identity.Entra.Requests.Skip(requestsBefore));
        await Task.Delay(300);
        int after = LogFile.Count(servers.Squid.AccessLog, $"127.0.0.1:{identity.Entra.Port}") + LogFile.Count(servers.Squid.AccessLog, $"127.0.0.1:{identity.Azurite.Port}");
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task A_wrong_proxy_password_on_the_token_request_is_Azure_Identitys_exception_with_our_words_and_no_password()
    {
        string proxy = $"http://{RealProxies.User}:wrong-hunter2@127.0.0.1:{servers.AuthSquid.Port}";
        var logs = new ListLoggerProvider();
        int requestsBefore = identity.Entra.Requests.Count;
        using var sp = Build(o => o.HttpProxy = o.HttpsProxy = proxy, s => s.AddHttpClient("blob").AddProxySupport(), logs);
        var (_, credential) = Routed(sp, "blob");

        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(
            () => credential.GetTokenAsync(new TokenRequestContext(["https://storage.azure.com/.default"]), CancellationToken.None).AsTask());

        Assert.StartsWith("ClientSecretCredential authentication failed", error.Message, StringComparison.Ordinal);
        Assert.Contains($"Proxy http://127.0.0.1:{servers.AuthSquid.Port} (Proxy:", error.ToString(), StringComparison.Ordinal);
        Assert.Contains($") rejected the credentials for user '{RealProxies.User}'", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, l => l.Contains("hunter2", StringComparison.Ordinal));
        Assert.Equal(requestsBefore, identity.Entra.Requests.Count);
    }

    [Fact]
    public void Route_refuses_no_options()
    {
        using var sp = Build(_ => { }, s => s.AddHttpClient("blob").AddProxySupport());

        var error = Assert.Throws<ArgumentException>(() => ProxyNetAzureTransport.Route(sp.GetRequiredService<IHttpClientFactory>(), "blob"));

        Assert.Contains("BlobClientOptions and ClientSecretCredentialOptions", error.Message, StringComparison.Ordinal);
    }

    private ServiceProvider Build(Action<ProxyNetOptions> configure, Action<IServiceCollection> clients, ListLoggerProvider? logs = null) =>
        CloudClients.Build(
            o =>
            {
                configure(o);
                o.Tls.OriginCaCertificates = [identity.Certificates.AuthorityPem];
            },
            clients,
            logs);

    /// <summary>The one call: the blob client's options and the credential's, on the same named client.</summary>
    private (BlobClientOptions Blob, ClientSecretCredential Credential) Routed(IServiceProvider sp, string clientName)
    {
        var blobOptions = new BlobClientOptions();
        var credentialOptions = new ClientSecretCredentialOptions { AuthorityHost = identity.Entra.AuthorityHost, DisableInstanceDiscovery = true };
        credentialOptions.Retry.MaxRetries = 0;
        ProxyNetAzureTransport.Route(sp.GetRequiredService<IHttpClientFactory>(), clientName, blobOptions, credentialOptions);
        return (blobOptions, new ClientSecretCredential(FakeEntraEndpoint.Tenant, "fake-client-id", "fake-client-secret", credentialOptions));
    }

    private BlobServiceClient Blobs(IServiceProvider sp, string clientName)
    {
        var (options, credential) = Routed(sp, clientName);
        return new BlobServiceClient(identity.Azurite.BlobEndpoint, credential, options);
    }

    private static async Task UploadAndDownloadAsync(BlobServiceClient blobs, string marker)
    {
        var container = blobs.GetBlobContainerClient(marker);
        await container.CreateAsync();
        await container.GetBlobClient($"{marker}.txt").UploadAsync(BinaryData.FromString($"hello {marker}"));
        var download = await container.GetBlobClient($"{marker}.txt").DownloadContentAsync();
        Assert.Equal($"hello {marker}", download.Value.Content.ToString());
    }
}
