using ProxyNet.IntegrationTests.Servers;

namespace ProxyNet.IntegrationTests.Cloud;

/// <summary>The servers of the Azure.Identity tests: a test CA, the fake Entra token endpoint and azurite over HTTPS with OAuth.</summary>
public sealed class AzureIdentityServers : IAsyncLifetime
{
    internal TestCertificates Certificates { get; } = new("Proxy.Net Azure Identity Test CA");

    internal FakeEntraEndpoint Entra { get; private set; } = null!;

    internal AzuriteServer Azurite { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Entra = await FakeEntraEndpoint.StartAsync(Certificates.IssueServer());
        Azurite = await AzuriteServer.StartWithOAuthAsync(Certificates.IssueServer());
    }

    public async Task DisposeAsync()
    {
        if (Azurite is not null)
        {
            await Azurite.DisposeAsync();
        }

        if (Entra is not null)
        {
            await Entra.DisposeAsync();
        }

        Certificates.Dispose();
    }
}
