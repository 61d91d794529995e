using System.Buffers.Binary;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ProxyNet.IntegrationTests.Servers;

/// <summary>
/// Kestrel on 127.0.0.1 with a WebSocket echo (<c>/ws</c>, over http and https) and a tiny gRPC unary method
/// (<c>/echo.Echo/Say</c>, HTTP/2 over TLS) written by hand: the gRPC framing and trailers, no generated code.
/// </summary>
internal sealed class AppOrigin : IAsyncDisposable
{
    public const string GrpcMethod = "/echo.Echo/Say";
    private readonly WebApplication _app;

    private AppOrigin(WebApplication app, int httpPort, int httpsPort, int h2cPort)
    {
        _app = app;
        HttpPort = httpPort;
        HttpsPort = httpsPort;
        H2cPort = h2cPort;
    }

    public int HttpPort { get; }

    public int HttpsPort { get; }

    /// <summary>The headers of every request received, in order.</summary>
    public List<IHeaderDictionary> ReceivedHeaders { get; } = [];

    /// <summary>The path of every request received, in order.</summary>
    public List<string> ReceivedPaths { get; } = [];

    /// <summary>HTTP/2 without TLS (prior knowledge), as insecure gRPC uses it.</summary>
    public int H2cPort { get; }

    public static async Task<AppOrigin> StartAsync(X509Certificate2 certificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        int h2cPort = ServerProcess.FreePort();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Listen(IPAddress.Loopback, h2cPort, l => l.Protocols = HttpProtocols.Http2);
            k.Listen(IPAddress.Loopback, 0, l =>
            {
                l.Protocols = HttpProtocols.Http1AndHttp2;
                l.UseHttps(certificate);
            });
        });
        var app = builder.Build();
        AppOrigin? origin = null;
        app.Use(async (context, next) =>
        {
            lock (origin!.ReceivedHeaders)
            {
                origin.ReceivedHeaders.Add(new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value)));
                origin.ReceivedPaths.Add(context.Request.Path.Value ?? string.Empty);
            }

            await next(context);
        });
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(5) });
        app.Map("/ws", async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[4096];
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, context.RequestAborted);
            }
        });
        app.MapPost(GrpcMethod, async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            byte[] request = body.ToArray();
            string text = System.Text.Encoding.UTF8.GetString(request, 5, request.Length - 5);
            byte[] reply = System.Text.Encoding.UTF8.GetBytes($"echo: {text}");
            var frame = new byte[5 + reply.Length];
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)reply.Length);
            reply.CopyTo(frame, 5);
            context.Response.ContentType = "application/grpc";
            context.Response.AppendTrailer("grpc-status", "0");
            await context.Response.Body.WriteAsync(frame);
        });
        app.MapFallback(context => context.Response.WriteAsync("ok"));
        await app.StartAsync();
        var ports = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a)).ToList();
        origin = new AppOrigin(app, ports.First(u => u.Scheme == "http" && u.Port != h2cPort).Port, ports.First(u => u.Scheme == "https").Port, h2cPort);
        return origin;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
