namespace ProxyNet.IntegrationTests.Servers;

/// <summary>
/// The servers the cloud SDK tests share, started once (in parallel) for their collection: squid plain and with
/// Basic auth, s3rver and azurite-blob.
/// </summary>
public sealed class CloudServers : IAsyncLifetime
{
    internal SquidServer Squid { get; private set; } = null!;

    internal SquidServer AuthSquid { get; private set; } = null!;

    internal S3rverServer S3 { get; private set; } = null!;

    internal AzuriteServer Azurite { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var squid = SquidServer.StartAsync();
        var authSquid = SquidServer.StartAsync(RealProxies.User, RealProxies.Password);
        var s3 = S3rverServer.StartAsync();
        var azurite = AzuriteServer.StartAsync();
        try
        {
            await Task.WhenAll(squid, authSquid, s3, azurite);
        }
        catch
        {
            // One server did not start: stop the others before failing with its message.
            foreach (var started in new Task<IAsyncDisposable>[] { Up(squid), Up(authSquid), Up(s3), Up(azurite) }.Where(t => t.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }

            throw;
        }

        (Squid, AuthSquid, S3, Azurite) = (squid.Result, authSquid.Result, s3.Result, azurite.Result);
    }

    private static async Task<IAsyncDisposable> Up<T>(Task<T> server)
        where T : IAsyncDisposable => await server;

    public async Task DisposeAsync()
    {
        foreach (var server in new IAsyncDisposable?[] { Squid, AuthSquid, S3, Azurite })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class CloudServersCollection : ICollectionFixture<CloudServers>
{
    public const string Name = "Cloud SDK servers";
}
