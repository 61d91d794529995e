using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ProxyNet.IntegrationTests.Servers;

/// <summary>
/// The Elasticsearch endpoints <c>ElasticsearchClient</c> calls for a ping, <c>InfoAsync</c> and a document round
/// trip, on a loopback origin: <c>HEAD /</c>, <c>GET /</c>, <c>PUT /INDEX/_doc/ID</c> and <c>GET /INDEX/_doc/ID</c>.
/// Every response carries <c>X-Elastic-Product: Elasticsearch</c>, without which the client refuses the server.
/// </summary>
internal static class ElasticsearchFake
{
    public const string ClusterName = "proxynet-fake";

    public static Task<LoopbackApp> StartAsync()
    {
        var documents = new ConcurrentDictionary<(string Index, string Id), JsonNode>();
        return LoopbackApp.StartAsync(app =>
        {
            app.Use((context, next) =>
            {
                context.Response.Headers["X-Elastic-Product"] = "Elasticsearch";
                return next(context);
            });
            app.MapMethods("/", ["HEAD"], context => Task.CompletedTask);
            app.MapGet("/", context => WriteAsync(context, new JsonObject
            {
                ["name"] = "fake-node",
                ["cluster_name"] = ClusterName,
                ["cluster_uuid"] = "fake-uuid",
                ["version"] = new JsonObject
                {
                    ["number"] = "9.0.0",
                    ["build_flavor"] = "default",
                    ["build_type"] = "tar",
                    ["build_hash"] = "fake",
                    ["build_date"] = "2025-01-01T00:00:00.000Z",
                    ["build_snapshot"] = false,
                    ["lucene_version"] = "10.0.0",
                    ["minimum_wire_compatibility_version"] = "8.18.0",
                    ["minimum_index_compatibility_version"] = "8.0.0",
                },
                ["tagline"] = "You Know, for Search",
            }));
            app.MapPut("/{index}/_doc/{id}", async context =>
            {
                var key = ((string)context.Request.RouteValues["index"]!, (string)context.Request.RouteValues["id"]!);
                var source = await JsonNode.ParseAsync(context.Request.Body) ?? new JsonObject();
                bool created = documents.TryAdd(key, source);
                documents[key] = source;
                context.Response.StatusCode = created ? 201 : 200;
                await WriteAsync(context, Result(key, created ? "created" : "updated"));
            });
            app.MapGet("/{index}/_doc/{id}", context =>
            {
                var key = ((string)context.Request.RouteValues["index"]!, (string)context.Request.RouteValues["id"]!);
                var result = Result(key, null);
                result["found"] = documents.TryGetValue(key, out var source);
                if (source is not null)
                {
                    result["_source"] = source.DeepClone();
                }
                else
                {
                    context.Response.StatusCode = 404;
                }

                return WriteAsync(context, result);
            });
        }, compressResponses: true);
    }

    private static JsonObject Result((string Index, string Id) key, string? result)
    {
        var json = new JsonObject
        {
            ["_index"] = key.Index,
            ["_id"] = key.Id,
            ["_version"] = 1,
            ["_seq_no"] = 0,
            ["_primary_term"] = 1,
        };
        if (result is not null)
        {
            json["result"] = result;
            json["_shards"] = new JsonObject { ["total"] = 1, ["successful"] = 1, ["failed"] = 0 };
        }

        return json;
    }

    private static Task WriteAsync(HttpContext context, JsonNode json)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json.ToJsonString());
    }
}
