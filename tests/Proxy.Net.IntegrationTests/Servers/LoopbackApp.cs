using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ProxyNet.IntegrationTests.Servers;

/// <summary>
/// A small Kestrel origin on 127.0.0.1 (plain http, a port picked at start) for the fakes of cloud endpoints: it
/// records every request (method, path and query, Authorization header) before the fake's own routes answer.
/// </summary>
internal sealed class LoopbackApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<ReceivedRequest> _received = [];

    private LoopbackApp(WebApplication app) => _app = app;

    public int Port { get; private set; }

    /// <summary>The origin's base address, <c>http://127.0.0.1:PORT</c>, without a trailing slash.</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Every request received so far, in order.</summary>
    public IReadOnlyList<ReceivedRequest> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <param name="routes">The fake's endpoints.</param>
    /// <param name="compressResponses">Gzip responses for a client that accepts it (Accept-Encoding), as Elasticsearch does.</param>
    public static async Task<LoopbackApp> StartAsync(Action<WebApplication> routes, bool compressResponses = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // The Google and Elastic clients gzip request bodies (Content-Encoding: gzip), as their servers accept.
        builder.Services.AddRequestDecompression();
        if (compressResponses)
        {
            builder.Services.AddResponseCompression();
        }

        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var origin = new LoopbackApp(app);
        app.Use(async (context, next) =>
        {
            lock (origin._received)
            {
                origin._received.Add(new ReceivedRequest(
                    context.Request.Method,
                    context.Request.Path.Value + context.Request.QueryString.Value,
                    context.Request.Headers.Authorization.ToString(),
                    context.Request.Headers.AcceptEncoding.ToString()));
            }

            try
            {
                await next(context);
            }
            catch (Exception e)
            {
                // A fake that throws answers 500 with the reason, so a failing test says what the fake did not understand.
                context.Response.StatusCode = 500;
                await context.Response.WriteAsync($"{context.Request.Method} {context.Request.Path}: {e}");
            }
        });
        app.UseRequestDecompression();
        if (compressResponses)
        {
            app.UseResponseCompression();
        }

        routes(app);
        await app.StartAsync();
        origin.Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return origin;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One request a loopback fake received.</summary>
internal sealed record ReceivedRequest(string Method, string PathAndQuery, string Authorization, string AcceptEncoding);
