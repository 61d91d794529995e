using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ProxyNet.IntegrationTests.Servers;

/// <summary>
/// The endpoints <c>Google.Cloud.Storage.V1</c>'s <c>StorageClient</c> and a service-account credential call, on one
/// loopback origin: the OAuth2 token endpoint (<c>POST /token</c>, JWT bearer grant), and of the GCS JSON API a
/// resumable upload (<c>POST /upload/storage/v1/b/B/o?uploadType=resumable</c>, then <c>PUT</c> to the session),
/// a media download (<c>GET /storage/v1/b/B/o/NAME?alt=media</c>, with its MD5 in <c>x-goog-hash</c>) and a list
/// (<c>GET /storage/v1/b/B/o</c>). Every storage call must carry the token the endpoint issued.
/// </summary>
internal static class GcsFake
{
    public const string AccessToken = "ya29.proxynet-fake-token";

    public static Task<LoopbackApp> StartAsync()
    {
        var objects = new ConcurrentDictionary<(string Bucket, string Name), byte[]>();
        return LoopbackApp.StartAsync(app =>
        {
            app.MapPost("/token", async context =>
            {
                var form = await context.Request.ReadFormAsync();
                if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer" || string.IsNullOrEmpty(form["assertion"]))
                {
                    context.Response.StatusCode = 400;
                    await context.Response.WriteAsJsonAsync(new { error = "invalid_grant" });
                    return;
                }

                await context.Response.WriteAsJsonAsync(new { access_token = AccessToken, expires_in = 3600, token_type = "Bearer" });
            });
            app.MapPost("/upload/storage/v1/b/{bucket}/o", async context =>
            {
                if (!Authorized(context))
                {
                    return;
                }

                string bucket = (string)context.Request.RouteValues["bucket"]!;
                string name = context.Request.Query["name"].ToString();
                if (string.IsNullOrEmpty(name))
                {
                    // The name may come in the JSON metadata of the initiating request instead of the query.
                    name = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync())?["name"]?.GetValue<string>() ?? "unnamed";
                }

                context.Response.Headers.Location = $"http://{context.Request.Host}/upload/storage/v1/b/{bucket}/o?uploadType=resumable&upload_id={Uri.EscapeDataString(name)}";
            });
            app.MapPut("/upload/storage/v1/b/{bucket}/o", async context =>
            {
                if (!Authorized(context))
                {
                    return;
                }

                string bucket = (string)context.Request.RouteValues["bucket"]!;
                string name = context.Request.Query["upload_id"].ToString();
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                objects[(bucket, name)] = body.ToArray();
                await WriteJsonAsync(context, Resource(bucket, name, body.ToArray()));
            });
            app.MapGet("/storage/v1/b/{bucket}/o", async context =>
            {
                if (!Authorized(context))
                {
                    return;
                }

                string bucket = (string)context.Request.RouteValues["bucket"]!;
                string prefix = context.Request.Query["prefix"].ToString();
                var items = new JsonArray([.. objects.Where(o => o.Key.Bucket == bucket && o.Key.Name.StartsWith(prefix, StringComparison.Ordinal))
                    .OrderBy(o => o.Key.Name, StringComparer.Ordinal)
                    .Select(o => (JsonNode)Resource(bucket, o.Key.Name, o.Value))]);
                await WriteJsonAsync(context, new JsonObject { ["kind"] = "storage#objects", ["items"] = items });
            });
            app.MapGet("/storage/v1/b/{bucket}/o/{**name}", async context =>
            {
                if (!Authorized(context))
                {
                    return;
                }

                var key = ((string)context.Request.RouteValues["bucket"]!, Uri.UnescapeDataString((string)context.Request.RouteValues["name"]!));
                if (!objects.TryGetValue(key, out byte[]? data))
                {
                    context.Response.StatusCode = 404;
                    await WriteJsonAsync(context, new JsonObject { ["error"] = new JsonObject { ["code"] = 404, ["message"] = "No such object" } });
                    return;
                }

                if (context.Request.Query["alt"] != "media")
                {
                    await WriteJsonAsync(context, Resource(key.Item1, key.Item2, data));
                    return;
                }

                context.Response.Headers["x-goog-hash"] = $"crc32c={Crc32c(data)},md5={Md5(data)}";
                context.Response.ContentType = "application/octet-stream";
                await context.Response.Body.WriteAsync(data);
            });
        });
    }

    private static bool Authorized(HttpContext context)
    {
        if (context.Request.Headers.Authorization == $"Bearer {AccessToken}")
        {
            return true;
        }

        context.Response.StatusCode = 401;
        return false;
    }

    private static JsonObject Resource(string bucket, string name, byte[] data) => new()
    {
        ["kind"] = "storage#object",
        ["id"] = $"{bucket}/{name}/1",
        ["bucket"] = bucket,
        ["name"] = name,
        ["generation"] = "1",
        ["size"] = data.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["md5Hash"] = Md5(data),
        ["crc32c"] = Crc32c(data),
        ["contentType"] = "text/plain",
    };

    /// <summary>CRC32C (Castagnoli), big-endian, base64: the checksum StorageClient verifies a download against.</summary>
    public static string Crc32c(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78 : crc >> 1;
            }
        }

        var bytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, ~crc);
        return Convert.ToBase64String(bytes);
    }

    // GCS's protocol names MD5 (x-goog-hash, md5Hash): an integrity check the client verifies, not a security measure.
#pragma warning disable CA5351
    private static string Md5(byte[] data) => Convert.ToBase64String(MD5.HashData(data));
#pragma warning restore CA5351

    private static Task WriteJsonAsync(HttpContext context, JsonNode json)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json.ToJsonString(JsonSerializerOptions.Default));
    }
}
