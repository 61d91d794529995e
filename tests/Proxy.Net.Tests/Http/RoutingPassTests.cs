using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyNet.DependencyInjection;
using ProxyNet.Http;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.Tests.Http;

/// <summary>
/// One routing pass per hop: options validated before they route anything, a reload that fails keeps the last good
/// settings, nothing a hop set survives it, breakers belong to their container, the route pool stays bounded.
/// </summary>
public sealed class RoutingPassTests : IAsyncLifetime
{
    private readonly OriginAndProxies _net = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _net.DisposeAsync().AsTask();

    [Fact]
    public void Enabled_no_fails_at_startup_naming_the_key_and_every_error_is_listed_at_once()
    {
        using var sp = FromConfiguration(new()
        {
            ["Proxy:Enabled"] = "no",
            ["Proxy:Port"] = "abc",
            ["Proxy:Host"] = "proxy.corp",
            ["Proxy:HttpsProxy"] = "http://proxy.corp:99999",
            ["Proxy:Tls:ReplaceSystemTrust"] = "yes please",
        });

        // What a host runs at start (ValidateOnStart), and what the first request would meet without a host.
        var startup = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Proxy:Enabled: 'no' is not a boolean (true or false)", startup.Failures);
        Assert.Contains("Proxy:Port: 'abc' is not a number", startup.Failures);
        Assert.Contains("Proxy:Tls:ReplaceSystemTrust: 'yes please' is not a boolean (true or false)", startup.Failures);
        Assert.Contains("Proxy:HttpsProxy: port 99999 is out of range", startup.Failures);
        Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<ProxyResolver>().Resolve(new Uri("http://example.com/")));
    }

    [Fact]
    public async Task A_reload_that_fails_validation_keeps_the_last_good_route_and_logs_an_error()
    {
        var logs = new ListLoggerProvider();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Proxy:HttpProxy"] = _net.Proxy.Url,
            ["Proxy:UseEnvironment"] = "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddProvider(logs));
        services.AddProxyNet(config.GetSection("Proxy"));
        services.AddHttpClient("s3").AddProxySupport();
        using var sp = services.BuildServiceProvider();
        var client = sp.GetRequiredService<IHttpClientFactory>().CreateClient("s3");
        await client.GetStringAsync($"{_net.Origin.IpUrl}/hello-first");

        config["Proxy:HttpProxy"] = "http://proxy.corp:99999";
        config["Proxy:Enabled"] = "nope";
        config.Reload();
        await client.GetStringAsync($"{_net.Origin.IpUrl}/hello-after-bad-reload");

        Assert.Equal(2, _net.Proxy.Requests.Count);
        string rejected = Assert.Single(logs.Lines, l => l.Contains("ProxyNet.Resolution.ProxySettingsProvider[12]", StringComparison.Ordinal));
        Assert.Contains("Proxy:HttpProxy: port 99999 is out of range", rejected, StringComparison.Ordinal);
        Assert.Contains("Proxy:Enabled: 'nope' is not a boolean", rejected, StringComparison.Ordinal);

        config["Proxy:HttpProxy"] = _net.Other.Url;
        config["Proxy:Enabled"] = "true";
        config.Reload();
        await client.GetStringAsync($"{_net.Origin.IpUrl}/hello-after-good-reload");
        Assert.Single(_net.Other.Requests);
    }

    [Fact]
    public async Task The_route_is_read_from_one_configuration_snapshot_per_hop()
    {
        // A reload between two reads would let the egress check see one route and the socket take another.
        int reads = 0;
        var viaProxy = ProxySettings.Compile(new ProxyNetOptions { UseEnvironment = false, HttpProxy = _net.Proxy.Url, AllowedDirect = ["allowed.invalid"] }, _ => null);
        var direct = ProxySettings.Compile(new ProxyNetOptions { UseEnvironment = false, AllowedDirect = ["allowed.invalid"] }, _ => null);
        var resolver = new ProxyResolver(() => Interlocked.Increment(ref reads) % 2 == 1 ? viaProxy : direct);
        using var client = new HttpClient(ProxyNetHandler.Create(resolver));

        Assert.Equal("hello from origin", await client.GetStringAsync($"{_net.Origin.IpUrl}/hello-snapshot"));
        Assert.Equal(1, reads);
        Assert.Equal($"{_net.Origin.IpUrl}/hello-snapshot", Assert.Single(_net.Proxy.Requests).Target);

        await Assert.ThrowsAsync<ProxyEgressRefusedException>(() => client.GetStringAsync($"{_net.Origin.IpUrl}/hello-refused"));
        Assert.Equal(2, reads);
        Assert.DoesNotContain(_net.Origin.Server.LogEntries, e => e.RequestMessage.Path == "/hello-refused");
    }

    [Fact]
    public async Task A_failover_candidate_and_its_answer_to_a_407_never_reach_the_next_proxy()
    {
        // Proxy A asks for a login, then stops listening: the retry with alice's answer fails to connect, so the
        // request fails over to B, which must see neither alice's header nor any other.
        using var a = new TcpListener(IPAddress.Loopback, 0);
        a.Start();
        int aPort = ((IPEndPoint)a.LocalEndpoint).Port;
        var first = Task.Run(async () =>
        {
            using var connection = await a.AcceptTcpClientAsync();
            var stream = connection.GetStream();
            await ScriptedServer.ReadHeadAsync(stream);

            // Stop listening before answering, so the retry with the login can only be refused (never queued).
            a.Stop();
            await ScriptedServer.WriteAsync(stream, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"a\"\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        });
        var resolver = ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false, HttpProxy = $"http://alice:secret-a@127.0.0.1:{aPort}, {_net.Other.Url}" });
        using var client = new HttpClient(ProxyNetHandler.Create(resolver));

        Assert.Equal("hello from origin", await client.GetStringAsync($"{_net.Origin.IpUrl}/hello-failover"));
        await first;
        var seen = Assert.Single(_net.Other.Requests);
        Assert.Null(seen.ProxyAuthorization);
        Assert.All(_net.Origin.ReceivedHeaders, h => Assert.DoesNotContain(h.Keys, k => k.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task Breakers_belong_to_their_container_not_to_the_process()
    {
        int dead = Ports.Closed();
        string proxies = $"http://127.0.0.1:{dead}, {_net.Other.Url}";
        using (var broken = Provider(proxies))
        {
            for (int i = 0; i < 4; i++)
            {
                await broken.GetRequiredService<IHttpClientFactory>().CreateClient("c").GetStringAsync($"{_net.Origin.IpUrl}/hello-{i}");
            }
        }

        // A second container with the same proxies has its own breakers: it tries the first proxy again (and logs
        // its own failover warning, which an open breaker inherited from the first container would have skipped).
        var logs = new ListLoggerProvider();
        using var fresh = Provider(proxies, logs);
        await fresh.GetRequiredService<IHttpClientFactory>().CreateClient("c").GetStringAsync($"{_net.Origin.IpUrl}/hello-fresh");
        Assert.Contains(logs.Lines, l => l.Contains("ProxyNet[10]", StringComparison.Ordinal) && l.Contains($"127.0.0.1:{dead}", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("ProxyNet[11]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_proxy_that_refuses_one_destination_answers_for_that_request_only_and_opens_no_breaker()
    {
        // A live proxy that refuses CONNECT to one destination (403 by policy): twenty refusals, then a request to
        // an allowed destination still goes through the same first proxy.
        await using var picky = new ScriptedServer(async (s, _) =>
        {
            string head = await ScriptedServer.ReadHeadAsync(s);
            if (head.StartsWith("CONNECT forbidden.invalid:443", StringComparison.Ordinal))
            {
                await ScriptedServer.WriteAsync(s, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                return;
            }

            await ScriptedServer.WriteAsync(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        });
        var resolver = ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false, HttpProxy = $"{picky.Url}, {_net.Other.Url}", HttpsProxy = $"{picky.Url}, {_net.Other.Url}" });
        using var client = new HttpClient(ProxyNetHandler.Create(resolver));
        for (int i = 0; i < 20; i++)
        {
            var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync("https://forbidden.invalid/"));
            Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
            Assert.Equal(HttpRequestError.ProxyTunnelError, error.HttpRequestError);
            Assert.Equal($"Proxy {picky.Url} (Proxy:HttpsProxy) answered 403 Forbidden for forbidden.invalid:443 (the proxy's policy forbids it)", error.Message);

            // Underneath, the runtime's own CONNECT failure differs by runtime; the answer above is the same on both.
            var runtime = Assert.IsType<HttpRequestException>(error.InnerException);
#if NET9_0_OR_GREATER
            // .NET 9 and later set the status on it.
            Assert.Equal(HttpStatusCode.Forbidden, runtime.StatusCode);
#else
            // .NET 8 does not: only its message names the code, which ProxyFailures.RefusalStatus reads instead.
            Assert.Null(runtime.StatusCode);
            Assert.Contains("'403'", runtime.Message, StringComparison.Ordinal);
#endif
        }

        Assert.Equal("ok", await client.GetStringAsync("http://allowed.invalid/"));
        Assert.Empty(_net.Other.Requests);
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}/b", true)]
    [InlineData("http://localhost:{port}/b", false)]
    public async Task A_redirect_keeps_Authorization_and_Cookie_within_the_origin_and_drops_them_elsewhere(string location, bool kept)
    {
        string target = location.Replace("{port}", _net.Origin.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        _net.Origin.RedirectTo("/a", target);
        _net.Origin.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath("/b")).RespondWith(WireMock.ResponseBuilders.Response.Create().WithBody("b"));
        using var client = new HttpClient(ProxyNetHandler.Create(ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false })));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{_net.Origin.IpUrl}/a");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "token-1");
        request.Headers.Add("Cookie", "session=s1");
        using var response = await client.SendAsync(request);

        var second = _net.Origin.Server.LogEntries.Single(e => e.RequestMessage.Path == "/b").RequestMessage.Headers!;
        Assert.Equal(kept, second.ContainsKey("Authorization"));
        Assert.Equal(kept, second.ContainsKey("Cookie"));
    }

    [Fact]
    public void The_library_keeps_no_mutable_state_in_static_fields()
    {
        var allowed = new[] { typeof(System.Diagnostics.ActivitySource), typeof(System.Diagnostics.Metrics.Meter), typeof(string), typeof(System.Globalization.IdnMapping), typeof(System.Buffers.SearchValues<char>) };

        // Immutable once built: frozen tables, and the Public Suffix List read once. InstallAsDefault's stack mirrors
        // HttpClient.DefaultProxy, which is the process's by definition.
        var immutable = new[] { typeof(System.Collections.Frozen.FrozenDictionary<,>), typeof(System.Collections.Frozen.FrozenSet<>), typeof(Lazy<>) };
        var offenders = typeof(ProxyResolver).Assembly.GetTypes()
            .Where(t => !t.FullName!.Contains('<', StringComparison.Ordinal) && t.GetCustomAttribute<System.Runtime.CompilerServices.CompilerGeneratedAttribute>() is null)
            .Where(t => t.Name != "DefaultProxyStack")
            .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(f => !f.IsLiteral)
            .Where(f => !f.IsInitOnly
                || !(allowed.Contains(f.FieldType)
                    || (f.FieldType.IsGenericType && immutable.Contains(f.FieldType.GetGenericTypeDefinition()))
                    || f.FieldType.IsValueType
                    || f.FieldType.Namespace == "System.Diagnostics.Metrics"
                    || f.FieldType.Assembly == typeof(ProxyResolver).Assembly
                    || f.FieldType.IsArray
                    || f.FieldType.Name.StartsWith("Func", StringComparison.Ordinal)
                    || f.FieldType.Name.StartsWith("Action", StringComparison.Ordinal)
                    || f.FieldType == typeof(System.Text.RegularExpressions.Regex)))
            .Where(f => !f.Name.StartsWith('<') || !f.IsInitOnly)
            .Select(f => $"{f.DeclaringType!.FullName}.{f.Name} ({f.FieldType.Name})")
            .ToList();
        Assert.Empty(offenders);
    }

    private static ServiceProvider Provider(string httpProxy, ListLoggerProvider? logs = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(l =>
        {
            if (logs is not null)
            {
                l.AddProvider(logs);
            }
        });
        services.AddProxyNet(o =>
        {
            o.UseEnvironment = false;
            o.HttpProxy = httpProxy;
        });
        services.AddHttpClient("c").AddProxySupport();
        return services.BuildServiceProvider();
    }

    private static ServiceProvider FromConfiguration(Dictionary<string, string?> values)
    {
        var services = new ServiceCollection();
        services.AddProxyNet(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("Proxy"));
        return services.BuildServiceProvider();
    }

}

/// <summary>The route pool stays bounded whatever the number of distinct routes (runs alone: it counts descriptors).</summary>
[Collection(DescriptorCounting.Name)]
[Trait("Category", "Slow")]
public sealed class RoutePoolBoundsTests
{
    [Fact]
    public async Task Ten_thousand_distinct_credentials_leave_live_routes_and_open_sockets_bounded()
    {
        using var origin = new Origin();
        await using var proxy = new RecordingProxy();
        var pool = new RouteTransportPool { Capacity = 32 };
        var resolver = ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false });
        var route = new ClientRoute(resolver, new ProxyClientOptions(), new ProxyFailover());
        using var client = new HttpClient(new ProxyNetHandler(route, pool, new WarningLedger(), null, ownsPool: true));
        int before = DescriptorCounting.OpenDescriptors();
        int peakRoutes = 0;
        for (int i = 0; i < 10_000; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{origin.IpUrl}/hello").UseProxy($"http://session-{i}:pw@127.0.0.1:{proxy.Port}");
            using var response = await client.SendAsync(request);
            response.EnsureSuccessStatusCode();
            peakRoutes = Math.Max(peakRoutes, pool.Count);
        }

        Assert.Equal(10_000, proxy.Requests.Count);
        Assert.True(peakRoutes <= 33, $"{peakRoutes} routes alive at the peak");
        int grown = DescriptorCounting.OpenDescriptors() - before;
        Assert.True(grown < 100, $"{grown} more descriptors open after 10,000 routes");
    }
}
