using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using Microsoft.Extensions.DependencyInjection;
using ProxyNet.DependencyInjection;
using ProxyNet.Elastic;
using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.IntegrationTests.Cloud;

/// <summary>
/// The real Elastic.Clients.Elasticsearch client against loopback Elasticsearch fakes, routed by a named Proxy.Net
/// client and proven by squid's access log, one node at a time.
/// </summary>
[Collection(CloudServersCollection.Name)]
public sealed class ElasticsearchTests(CloudServers servers)
{
    [Fact]
    public async Task A_client_on_a_proxied_name_indexes_and_gets_a_document_through_squid()
    {
        await using var es = await ElasticsearchFake.StartAsync();
        using var sp = CloudClients.Build(o => o.HttpProxy = servers.Squid.Url, s => s.AddHttpClient("es").AddProxySupport());
        string marker = CloudClients.NewMarker();

        await RoundTripAsync(Client(sp, "es", new SingleNodePool(new Uri(es.Url))), marker);

        string put = await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"PUT {es.Url}/{marker}/_doc/1");
        Assert.Contains("TCP_MISS/201", put, StringComparison.Ordinal);
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"GET {es.Url}/{marker}/_doc/1");
        // The client's default compression: the fake gzipped its answers, and the round trip read them.
        Assert.All(es.Received, r => Assert.Contains("gzip", r.AcceptEncoding, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_client_on_a_BypassGlobalProxy_name_works_and_squid_sees_nothing()
    {
        await using var es = await ElasticsearchFake.StartAsync();
        using var sp = CloudClients.Build(o => o.HttpProxy = servers.Squid.Url, s => s.AddHttpClient("es-direct").BypassGlobalProxy());
        string marker = CloudClients.NewMarker();

        await RoundTripAsync(Client(sp, "es-direct", new SingleNodePool(new Uri(es.Url))), marker);

        Assert.Contains(es.Received, r => r.PathAndQuery == $"/{marker}/_doc/1");
        await LogFile.AssertNoLineAsync(() => servers.Squid.AccessLog, $"127.0.0.1:{es.Port}/");
    }

    [Fact]
    public async Task Each_node_of_a_pool_is_routed_on_its_own_NO_PROXY_for_one_the_proxy_for_the_other()
    {
        await using var near = await ElasticsearchFake.StartAsync();
        await using var far = await ElasticsearchFake.StartAsync();
        using var sp = CloudClients.Build(
            o =>
            {
                o.HttpProxy = servers.Squid.Url;
                o.ExcludedDomains = [$"127.0.0.1:{near.Port}"];   // NO_PROXY
            },
            s => s.AddHttpClient("es").AddProxySupport());
        var pool = new StaticNodePool([new Uri(near.Url), new Uri(far.Url)], randomize: false);
        var client = Client(sp, "es", pool);

        for (int i = 0; i < 6; i++)
        {
            var info = await client.InfoAsync();
            Assert.True(info.IsValidResponse, info.DebugInformation);
        }

        Assert.Contains(near.Received, r => r.Method == "GET" && r.PathAndQuery == "/");
        Assert.Contains(far.Received, r => r.Method == "GET" && r.PathAndQuery == "/");
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"GET {far.Url}/");
        await LogFile.AssertNoLineAsync(() => servers.Squid.AccessLog, $"127.0.0.1:{near.Port}/");
    }

    [Fact]
    public async Task The_synchronous_API_goes_the_same_way()
    {
        await using var es = await ElasticsearchFake.StartAsync();
        using var sp = CloudClients.Build(o => o.HttpProxy = servers.Squid.Url, s => s.AddHttpClient("es").AddProxySupport());

        var info = Client(sp, "es", new SingleNodePool(new Uri(es.Url))).Info();

        Assert.True(info.IsValidResponse, info.DebugInformation);
        Assert.Equal(ElasticsearchFake.ClusterName, info.ClusterName);
        await LogFile.WaitForLineAsync(() => servers.Squid.AccessLog, $"GET {es.Url}/");
    }

    [Fact]
    public async Task A_wrong_proxy_password_is_in_the_SDKs_exception_with_our_407_text_and_without_the_password()
    {
        await using var es = await ElasticsearchFake.StartAsync();
        string proxy = $"http://{RealProxies.User}:wrong-hunter2@127.0.0.1:{servers.AuthSquid.Port}";
        var logs = new ListLoggerProvider();
        using var sp = CloudClients.Build(o => o.HttpProxy = proxy, s => s.AddHttpClient("es").AddProxySupport(), logs);
        var settings = new ElasticsearchClientSettings(new SingleNodePool(new Uri(es.Url)), Invoker(sp, "es")).ThrowExceptions();

        var error = await Assert.ThrowsAsync<TransportException>(() => new ElasticsearchClient(settings).InfoAsync());

        Assert.Contains($"Proxy http://127.0.0.1:{servers.AuthSquid.Port} (Proxy:", error.ToString(), StringComparison.Ordinal);
        Assert.Contains($") rejected the credentials for user '{RealProxies.User}'", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ApiCallDetails?.DebugInformation ?? string.Empty, StringComparison.Ordinal);
        Assert.Empty(es.Received);
        Assert.DoesNotContain(logs.Lines, l => l.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Elastics_own_proxy_setting_is_refused_with_a_message_naming_the_client()
    {
        await using var es = await ElasticsearchFake.StartAsync();
        using var sp = CloudClients.Build(_ => { }, s => s.AddHttpClient("es").AddProxySupport());
        var settings = new ElasticsearchClientSettings(new SingleNodePool(new Uri(es.Url)), Invoker(sp, "es"))
            .Proxy(new Uri(servers.Squid.Url), "user", "secret")
            .ThrowExceptions();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => new ElasticsearchClient(settings).InfoAsync());

        var refused = error as InvalidOperationException ?? Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Contains("Proxy(...)", refused.Message, StringComparison.Ordinal);
        Assert.Contains("HttpClient 'es'", refused.Message, StringComparison.Ordinal);
        Assert.Empty(es.Received);
    }

    [Fact]
    public void The_invoker_refuses_missing_arguments()
    {
        using var sp = CloudClients.Build(_ => { }, s => s.AddHttpClient("es").AddProxySupport());
        var handlers = sp.GetRequiredService<IHttpMessageHandlerFactory>();

        Assert.Throws<ArgumentNullException>("handlerFactory", () => new ProxyNetElasticRequestInvoker(null!, "es"));
        Assert.Throws<ArgumentNullException>("clientName", () => new ProxyNetElasticRequestInvoker(handlers, null!));
        using var invoker = new ProxyNetElasticRequestInvoker(handlers, "es");
        Assert.Equal("es", invoker.ClientName);
        Assert.NotNull(invoker.ResponseFactory);
    }

    private static ProxyNetElasticRequestInvoker Invoker(IServiceProvider sp, string clientName) =>
        new(sp.GetRequiredService<IHttpMessageHandlerFactory>(), clientName);

    private static ElasticsearchClient Client(IServiceProvider sp, string clientName, NodePool pool) =>
        new(new ElasticsearchClientSettings(pool, Invoker(sp, clientName)).DisableDirectStreaming());

    private static async Task RoundTripAsync(ElasticsearchClient client, string marker)
    {
        var indexed = await client.IndexAsync(new Note(marker, $"hello {marker}"), i => i.Index(marker).Id("1"));
        Assert.True(indexed.IsValidResponse, indexed.DebugInformation);
        var got = await client.GetAsync<Note>(marker, "1");
        Assert.True(got.IsValidResponse, got.DebugInformation);
        Assert.Equal($"hello {marker}", got.Source?.Text);
    }

    private sealed record Note(string Marker, string Text);
}
