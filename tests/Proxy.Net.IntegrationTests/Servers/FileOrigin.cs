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

/// <summary>
/// Static files of a folder over http and https (Kestrel, a certificate from the test CA) on one loopback address:
/// a text file for Node and R, and a bare git repository after <c>git update-server-info</c>, which git's dumb HTTP
/// protocol reads (<c>info/refs</c>; the query string is ignored, so git sees no smart server).
/// </summary>
internal sealed class FileOrigin : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FileOrigin(WebApplication app, IPAddress address, int httpPort, int httpsPort)
    {
        _app = app;
        HttpUrl = $"http://{address}:{httpPort}";
        HttpsUrl = $"https://{address}:{httpsPort}";
        Authority = $"{address}:{httpsPort}";
    }

    public string HttpUrl { get; }

    public string HttpsUrl { get; }

    /// <summary>The https listener's <c>host:port</c>, as a CONNECT names it.</summary>
    public string Authority { get; }

    public static async Task<FileOrigin> StartAsync(IPAddress address, string root, X509Certificate2 certificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(address, 0);
            k.Listen(address, 0, l => l.UseHttps(certificate));
        });
        var app = builder.Build();
        string full = Path.GetFullPath(root) + Path.DirectorySeparatorChar;
        app.Run(async context =>
        {
            string path = Path.GetFullPath(Path.Combine(full, context.Request.Path.Value!.TrimStart('/')));
            if (!path.StartsWith(full, StringComparison.Ordinal) || !File.Exists(path))
            {
                context.Response.StatusCode = 404;
                return;
            }

            context.Response.ContentType = "text/plain";
            await context.Response.SendFileAsync(path);
        });
        await app.StartAsync();
        var ports = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        return new FileOrigin(app, address, ports.First(u => u.Scheme == "http").Port, ports.First(u => u.Scheme == "https").Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
