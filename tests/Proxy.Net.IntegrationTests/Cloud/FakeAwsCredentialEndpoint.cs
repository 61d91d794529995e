using System.Globalization;
using System.Net;
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
/// A loopback fake of the AWS credential services on one port: STS (<c>AssumeRole</c>, <c>AssumeRoleWithWebIdentity</c>,
/// query protocol, XML), the SSO portal (<c>GetRoleCredentials</c>) and SSO-OIDC (<c>CreateToken</c> refresh). Every
/// answer hands out s3rver's key, so a data request that s3rver accepts used the credentials obtained here.
/// </summary>
internal sealed class FakeAwsCredentialEndpoint : IAsyncDisposable
{
    public const string SessionToken = "fake-session-token";
    public const string RefreshedSsoToken = "refreshed-sso-access-token";

    private readonly WebApplication _app;
    private readonly List<FakeRequest> _requests = [];

    private FakeAwsCredentialEndpoint(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public IReadOnlyList<FakeRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<FakeAwsCredentialEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeAwsCredentialEndpoint(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string action = request.HasFormContentType ? (await request.ReadFormAsync()).TryGetValue("Action", out var a) ? a.ToString() : "" : "";
        string body = request.HasFormContentType ? "" : await new StreamReader(request.Body).ReadToEndAsync();
        lock (_requests)
        {
            _requests.Add(new FakeRequest(request.Method, request.Path + request.QueryString, action, body, request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        }

        string expiration = DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        switch ((request.Method, request.Path.Value, action))
        {
            case ("POST", "/", "AssumeRole" or "AssumeRoleWithWebIdentity"):
                context.Response.ContentType = "text/xml";
                await context.Response.WriteAsync(
                    $"""
                    <{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                      <{action}Result>
                        <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/fake/session</Arn><AssumedRoleId>AROAFAKE:session</AssumedRoleId></AssumedRoleUser>
                        <Credentials><AccessKeyId>S3RVER</AccessKeyId><SecretAccessKey>S3RVER</SecretAccessKey><SessionToken>{SessionToken}</SessionToken><Expiration>{expiration}</Expiration></Credentials>
                      </{action}Result>
                      <ResponseMetadata><RequestId>fake-request</RequestId></ResponseMetadata>
                    </{action}Response>
                    """);
                return;
            case ("POST", "/token", _):
                await context.Response.WriteAsJsonAsync(new { accessToken = RefreshedSsoToken, expiresIn = 3600, refreshToken = "fake-refresh-token", tokenType = "Bearer" });
                return;
            case ("GET", "/federation/credentials", _) when request.Headers["x-amz-sso_bearer_token"] == RefreshedSsoToken:
                long expires = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();
                await context.Response.WriteAsJsonAsync(new { roleCredentials = new { accessKeyId = "S3RVER", secretAccessKey = "S3RVER", sessionToken = SessionToken, expiration = expires } });
                return;
            default:
                context.Response.StatusCode = 400;
                context.Response.Headers["x-amzn-ErrorType"] = "UnknownOperationException";
                await context.Response.WriteAsync(JsonSerializer.Serialize(new { message = $"fake: no {request.Method} {request.Path} {action}" }));
                return;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One request the fake got: what it asked for and the headers it came with (squid adds <c>Via</c>).</summary>
internal sealed record FakeRequest(string Method, string PathAndQuery, string Action, string Body, IReadOnlyDictionary<string, string> Headers);
