using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ProxyNet.IntegrationTests.Servers;

/// <summary>An HTTPS origin on 127.0.0.1 (Kestrel) with a certificate from the test CA; it echoes the headers it got.</summary>
internal sealed class TlsOrigin : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TlsOrigin(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"https://127.0.0.1:{Port}";

    public string NameUrl => $"https://localhost:{Port}";

    public List<IHeaderDictionary> ReceivedHeaders { get; } = [];

    public static async Task<TlsOrigin> StartAsync(X509Certificate2 certificate, string body = "hello over tls")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        TlsOrigin? origin = null;
        app.Run(async context =>
        {
            lock (origin!.ReceivedHeaders)
            {
                origin.ReceivedHeaders.Add(new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value)));
            }

            await context.Response.WriteAsync(body);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        origin = new TlsOrigin(app, new Uri(address).Port);
        return origin;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
