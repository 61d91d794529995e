using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ProxyNet.IntegrationTests.Cloud;

/// <summary>
/// A loopback fake of the Microsoft Entra ID token endpoint (<c>POST /{tenant}/oauth2/v2.0/token</c>, client
/// credentials) over HTTPS (MSAL takes only an https authority). Its access tokens are JWTs that azurite's
/// <c>--oauth basic</c> accepts: a storage audience, an Entra issuer, an hour's lifetime, an unchecked signature.
/// </summary>
internal sealed class FakeEntraEndpoint : IAsyncDisposable
{
    public const string Tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    private readonly WebApplication _app;
    private readonly List<string> _requests = [];

    private FakeEntraEndpoint(WebApplication app) => _app = app;

    public int Port { get; private set; }

    public Uri AuthorityHost => new($"https://127.0.0.1:{Port}/");

    /// <summary>The method and path of every request, in order.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<FakeEntraEndpoint> StartAsync(X509Certificate2 certificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        var fake = new FakeEntraEndpoint(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        lock (_requests)
        {
            _requests.Add($"{context.Request.Method} {context.Request.Path}");
        }

        if (context.Request.Method != "POST" || context.Request.Path != $"/{Tenant}/oauth2/v2.0/token")
        {
            context.Response.StatusCode = 404;
            return;
        }

        var form = await context.Request.ReadFormAsync();
        if (form["grant_type"] != "client_credentials" || form["client_secret"] != "fake-client-secret")
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsJsonAsync(new { error = "invalid_client", error_description = "fake: wrong client secret" });
            return;
        }

        await context.Response.WriteAsJsonAsync(new { token_type = "Bearer", expires_in = 3600, ext_expires_in = 3600, access_token = AccessToken() });
    }

    private static string AccessToken()
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string header = Base64Url(JsonSerializer.Serialize(new { alg = "RS256", typ = "JWT" }));
        string payload = Base64Url(JsonSerializer.Serialize(new
        {
            aud = "https://storage.azure.com",
            iss = $"https://sts.windows.net/{Tenant}/",
            tid = Tenant,
            iat = now - 60,
            nbf = now - 60,
            exp = now + 3600,
            oid = "00000000-0000-0000-0000-000000000001",
        }));
        return $"{header}.{payload}.{Base64Url("unsigned")}";
    }

    private static string Base64Url(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
