using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using ProxyNet.DependencyInjection;
using ProxyNet.Http;
using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Resolution;

namespace ProxyNet.IntegrationTests.WebSockets;

/// <summary>
/// Through the real squid: insecure gRPC (h2c) is tunnelled by CONNECT, AlwaysTunnel tunnels plain http:// too, and
/// ProxyHeaders reach squid (its header log) on CONNECT and on absolute-form requests, never the origin.
/// </summary>
[Collection(StreamingCollection.Name)]
public sealed class TunnelChoiceTests(StreamingServers servers)
{
    [Fact]
    public async Task Insecure_gRPC_h2c_goes_through_squid_by_CONNECT()
    {
        int before = LogFile.Count(servers.Squid.AccessLog, $"CONNECT 127.0.0.1:{servers.App.H2cPort}");
        string reply;
        using (var sp = Build(o => o.HttpProxy = servers.Squid.Url))
        using (var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{servers.App.H2cPort}", new GrpcChannelOptions { HttpHandler = Handler(sp, "grpc"), DisposeHttpClient = true }))
        {
            var marshaller = Marshallers.Create(Encoding.UTF8.GetBytes, Encoding.UTF8.GetString);
            var method = new Method<string, string>(MethodType.Unary, "echo.Echo", "Say", marshaller, marshaller);
            reply = await channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(20)), "h2c");
        }

        // squid logs a tunnel when it closes: the client (and its pooled connection) is gone by now.
        Assert.Equal("echo: h2c", reply);
        await LogFile.WaitForNewLineAsync(() => servers.Squid.AccessLog, $"CONNECT 127.0.0.1:{servers.App.H2cPort}", before);
        Assert.DoesNotContain($"POST http://127.0.0.1:{servers.App.H2cPort}", servers.Squid.AccessLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlwaysTunnel_sends_a_plain_http_request_by_CONNECT()
    {
        string marker = $"/always-{Guid.NewGuid():N}";
        int before = LogFile.Count(servers.Squid.AccessLog, $"CONNECT 127.0.0.1:{servers.App.HttpPort}");
        using (var sp = Build(o => o.HttpProxy = servers.Squid.Url, client: c => c.AlwaysTunnel = true))
        using (var client = new HttpClient(Handler(sp, "grpc")))
        {
            using var response = await client.GetAsync($"http://127.0.0.1:{servers.App.HttpPort}{marker}");
            Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        }

        Assert.Contains(servers.App.ReceivedPaths, p => p == marker);
        await LogFile.WaitForNewLineAsync(() => servers.Squid.AccessLog, $"CONNECT 127.0.0.1:{servers.App.HttpPort}", before);
        Assert.DoesNotContain(marker, servers.Squid.AccessLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProxyHeaders_reach_squid_on_CONNECT_and_never_the_origin()
    {
        string team = $"blue-{Guid.NewGuid():N}";
        await using var squid = await TeamLoggingSquidAsync();
        using (var sp = Build(o =>
        {
            o.HttpsProxy = squid.Url;
            o.ProxyHeaders["X-Proxy-Team"] = team;
        }))
        using (var client = new HttpClient(Handler(sp, "grpc")))
        {
            using var response = await client.GetAsync($"https://127.0.0.1:{servers.App.HttpsPort}/headers");
            Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        }

        await LogFile.WaitForLineAsync(() => squid.TeamLog, team);
        string line = squid.TeamLog.Split('\n').First(l => l.Contains(team, StringComparison.Ordinal));
        Assert.StartsWith($"CONNECT 127.0.0.1:{servers.App.HttpsPort}", line, StringComparison.Ordinal);
        Assert.DoesNotContain(servers.App.ReceivedHeaders, h => h.ContainsKey("X-Proxy-Team"));
    }

    [Fact]
    public async Task ProxyHeaders_on_an_absolute_form_request_are_hop_by_hop_and_squid_drops_them()
    {
        string team = $"green-{Guid.NewGuid():N}";
        string marker = $"/plain-{Guid.NewGuid():N}";
        await using var squid = await TeamLoggingSquidAsync();
        using var sp = Build(o =>
        {
            o.HttpProxy = squid.Url;
            o.ProxyHeaders["X-Proxy-Team"] = team;
        });
        using var client = new HttpClient(Handler(sp, "grpc"));

        using var response = await client.GetAsync($"http://127.0.0.1:{servers.App.HttpPort}{marker}");

        await LogFile.WaitForLineAsync(() => squid.TeamLog, marker);
        string line = squid.TeamLog.Split('\n').First(l => l.Contains(marker, StringComparison.Ordinal));
        Assert.Contains(team, line, StringComparison.Ordinal);
        Assert.StartsWith("GET http://", line, StringComparison.Ordinal);
        Assert.DoesNotContain(servers.App.ReceivedHeaders, h => h.ContainsKey("X-Proxy-Team"));
        Assert.Contains(servers.App.ReceivedPaths, p => p == marker);
    }

    [Fact]
    public void A_header_Proxy_Net_sets_itself_or_a_line_break_is_a_configuration_error_naming_the_key()
    {
        var options = new ProxyNetOptions { UseEnvironment = false, HttpProxy = servers.Squid.Url };
        options.ProxyHeaders["Proxy-Authorization"] = "Basic x";
        options.ProxyHeaders["X-Ok"] = "a\r\nInjected: 1";

        var decision = ProxyResolver.Create(options).Resolve(new Uri("http://example.com/"));

        Assert.True(decision.IsError);
        Assert.Contains("Proxy:ProxyHeaders:Proxy-Authorization: Proxy-Authorization is set by Proxy.Net itself", decision.Error, StringComparison.Ordinal);
        Assert.Contains("Proxy:ProxyHeaders:X-Ok: the value contains a line break", decision.Error, StringComparison.Ordinal);
    }

    /// <summary>A squid of its own that logs each request's X-Proxy-Team header as it received it.</summary>
    private static async Task<TeamSquid> TeamLoggingSquidAsync()
    {
        string log = Path.Combine(Directory.CreateTempSubdirectory("proxynet-team-").FullName, "team.log");
        File.SetUnixFileMode(Path.GetDirectoryName(log)!, (UnixFileMode)0x1FF);
        var squid = await SquidServer.StartAsync(extraConfig: $"""
            logformat proxyteam %rm %ru team=[%{"{"}X-Proxy-Team{"}"}>h]
            access_log stdio:{log} proxyteam
            """);
        return new TeamSquid(squid, log);
    }

    private sealed class TeamSquid(SquidServer squid, string log) : IAsyncDisposable
    {
        public string Url => squid.Url;

        public string TeamLog => ServerProcess.ReadLog(log);

        public ValueTask DisposeAsync() => squid.DisposeAsync();
    }

    private ServiceProvider Build(Action<ProxyNetOptions> configure, Action<ProxyClientOptions>? client = null)
    {
        var services = new ServiceCollection();
        services.AddProxyNet(o =>
        {
            o.UseEnvironment = false;
            o.Tls.OriginCaCertificates = [servers.CaFile];
            configure(o);
        });
        services.AddHttpClient("grpc").ConfigureProxy(c => client?.Invoke(c));
        return services.BuildServiceProvider();
    }

    private static HttpMessageHandler Handler(IServiceProvider sp, string name) =>
        sp.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(name);
}
