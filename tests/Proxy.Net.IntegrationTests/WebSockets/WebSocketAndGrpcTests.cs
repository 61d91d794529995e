using System.Net.WebSockets;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using ProxyNet.DependencyInjection;
using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Resolution;
using ProxyNet.Tls;
using ProxyNet.WebSockets;

namespace ProxyNet.IntegrationTests.WebSockets;

/// <summary>Servers of their own, so the two-minute WebSocket runs beside the other collections.</summary>
public sealed class StreamingServers : IAsyncLifetime
{
    internal TestCertificates Certificates { get; } = new("Proxy.Net Streaming CA");

    internal SquidServer Squid { get; private set; } = null!;

    internal SquidServer AuthSquid { get; private set; } = null!;

    internal AppOrigin App { get; private set; } = null!;

    internal string CaFile { get; } = Path.GetTempFileName();

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(CaFile, Certificates.AuthorityPem);
        var squid = SquidServer.StartAsync();
        var auth = SquidServer.StartAsync(RealProxies.User, RealProxies.Password);
        var app = AppOrigin.StartAsync(Certificates.IssueServer());
        await Task.WhenAll(squid, auth, app);
        (Squid, AuthSquid, App) = (squid.Result, auth.Result, app.Result);
    }

    public async Task DisposeAsync()
    {
        await Squid.DisposeAsync();
        await AuthSquid.DisposeAsync();
        await App.DisposeAsync();
        Certificates.Dispose();
        File.Delete(CaFile);
    }
}

[CollectionDefinition(Name)]
public sealed class StreamingCollection : ICollectionFixture<StreamingServers>
{
    public const string Name = "Streaming";
}

/// <summary>WebSockets and gRPC through squid on the same resolution, credentials and trust, proven by squid's log.</summary>
[Collection(StreamingCollection.Name)]
public sealed class WebSocketAndGrpcTests(StreamingServers servers)
{
    private string AuthProxy => $"http://{RealProxies.User}:{Uri.EscapeDataString(RealProxies.Password)}@127.0.0.1:{servers.AuthSquid.Port}";

    [Theory]
    [InlineData("ws")]
    [InlineData("wss")]
    public async Task A_WebSocket_goes_through_squid_with_credentials_as_CONNECT(string scheme)
    {
        int port = scheme == "ws" ? servers.App.HttpPort : servers.App.HttpsPort;
        string connect = $"CONNECT 127.0.0.1:{port} {RealProxies.User}";
        int before = LogFile.Count(servers.AuthSquid.AccessLog, connect);
        using (var sp = Build(o => o.HttpProxy = o.HttpsProxy = AuthProxy))
        {
            using var socket = new ClientWebSocket();
            await socket.ConnectThroughProxyAsync(new Uri($"{scheme}://127.0.0.1:{port}/ws"), Handler(sp, "ws"));
            Assert.Equal("ping", await EchoAsync(socket, "ping"));
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        }

        await LogFile.WaitForNewLineAsync(() => servers.AuthSquid.AccessLog, connect, before);
    }

    [Fact]
    public async Task A_WebSocket_to_a_NO_PROXY_host_goes_direct()
    {
        int before = servers.Squid.AccessLog.Split('\n').Length;
        using (var sp = Build(o => { o.HttpProxy = servers.Squid.Url; o.ExcludedDomains = ["127.0.0.1"]; }))
        {
            using var socket = new ClientWebSocket();
            await socket.ConnectThroughProxyAsync(new Uri($"ws://127.0.0.1:{servers.App.HttpPort}/ws"), Handler(sp, "ws"));
            Assert.Equal("direct", await EchoAsync(socket, "direct"));
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        }

        await Task.Delay(300);
        Assert.Equal(before, servers.Squid.AccessLog.Split('\n').Length);
    }

    [Fact]
    public async Task A_WebSocket_stays_open_through_squid_for_two_minutes_with_keep_alive_pings()
    {
        string connect = $"CONNECT 127.0.0.1:{servers.App.HttpPort}";
        int before = LogFile.Count(servers.Squid.AccessLog, connect);
        using var sp = Build(o => o.HttpProxy = servers.Squid.Url);
        using var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(10);
        await socket.ConnectThroughProxyAsync(new Uri($"ws://127.0.0.1:{servers.App.HttpPort}/ws"), Handler(sp, "ws"));
        var end = DateTime.UtcNow.AddMinutes(2);
        for (int i = 0; DateTime.UtcNow < end && i < 20; i++)
        {
            Assert.Equal($"message {i}", await EchoAsync(socket, $"message {i}"));
            await Task.Delay(TimeSpan.FromSeconds(15));
        }

        Assert.Equal("last", await EchoAsync(socket, "last"));
        Assert.Equal(WebSocketState.Open, socket.State);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        sp.Dispose();
        string line = await LogFile.WaitForNewLineAsync(() => servers.Squid.AccessLog, connect, before);
        Assert.Contains("TCP_TUNNEL/200", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proxy_that_drops_the_tunnel_ends_the_WebSocket_cleanly_not_with_a_hang()
    {
        var doomed = await SquidServer.StartAsync();
        using var sp = Build(o => o.HttpProxy = doomed.Url);
        using var socket = new ClientWebSocket();
        await socket.ConnectThroughProxyAsync(new Uri($"ws://127.0.0.1:{servers.App.HttpPort}/ws"), Handler(sp, "ws"));
        Assert.Equal("before", await EchoAsync(socket, "before"));

        // The tunnel is squid's while it lives: its cache log (access lines come at the end) names no error yet, and
        // squid holds the client connection (one established connection to its port).
        Assert.Contains(System.Net.NetworkInformation.IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpConnections(), c => c.RemoteEndPoint.Port == doomed.Port && c.State == System.Net.NetworkInformation.TcpState.Established);
        await doomed.DisposeAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[64];
        var ended = await Record.ExceptionAsync(async () =>
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        });
        Assert.False(timeout.IsCancellationRequested, "the receive must end when the tunnel drops, not hang");
        Assert.True(ended is null or WebSocketException, ended?.ToString());
    }

    [Fact]
    public async Task A_gRPC_call_goes_through_the_GRPC_PROXY_over_HTTP2_in_a_CONNECT_tunnel()
    {
        string connect = $"CONNECT 127.0.0.1:{servers.App.HttpsPort} {RealProxies.User}";
        int before = LogFile.Count(servers.AuthSquid.AccessLog, connect);
        using (var sp = Build(
            o =>
            {
                o.HttpsProxy = servers.Squid.Url;
                o.GrpcProxy = AuthProxy;
                o.Tls.OriginCaCertificates = [servers.CaFile];
            },
            grpc: true))
        {
            Assert.Equal("echo: hi", await CallAsync(Handler(sp, "grpc")));
        }

        await LogFile.WaitForNewLineAsync(() => servers.AuthSquid.AccessLog, connect, before);
    }

    [Fact]
    public async Task A_gRPC_call_to_a_NO_PROXY_host_goes_direct()
    {
        int before = servers.AuthSquid.AccessLog.Split('\n').Length;
        using (var sp = Build(
            o =>
            {
                o.GrpcProxy = AuthProxy;
                o.ExcludedDomains = ["127.0.0.0/8"];
                o.Tls.OriginCaCertificates = [servers.CaFile];
            },
            grpc: true))
        {
            Assert.Equal("echo: hi", await CallAsync(Handler(sp, "grpc")));
        }

        await Task.Delay(300);
        Assert.Equal(before, servers.AuthSquid.AccessLog.Split('\n').Length);
    }

    private async Task<string> CallAsync(HttpMessageHandler handler)
    {
        using var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{servers.App.HttpsPort}", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = false });
        var marshaller = Marshallers.Create(Encoding.UTF8.GetBytes, Encoding.UTF8.GetString);
        var method = new Method<string, string>(MethodType.Unary, "echo.Echo", "Say", marshaller, marshaller);
        return await channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(20)), "hi");
    }

    private static async Task<string> EchoAsync(ClientWebSocket socket, string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[4096];
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }

    private ServiceProvider Build(Action<ProxyNetOptions> configure, bool grpc = false)
    {
        var services = new ServiceCollection();
        services.AddProxyNet(o =>
        {
            o.UseEnvironment = false;
            o.Tls.OriginCaCertificates = [servers.CaFile];
            configure(o);
        });
        services.AddHttpClient("ws").AddProxySupport();
        services.AddHttpClient("grpc").ConfigureProxy(o => o.UseGrpcProxy = grpc);
        return services.BuildServiceProvider();
    }

    private static HttpMessageHandler Handler(IServiceProvider sp, string name) =>
        sp.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(name);
}
