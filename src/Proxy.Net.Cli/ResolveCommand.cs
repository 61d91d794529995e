using System.Text.Encodings.Web;
using System.Text.Json;
using ProxyNet.Configuration;

namespace ProxyNet.Cli;

/// <summary><c>proxynet resolve [--json] [--grpc] [--config FILE] URL...</c> and <c>proxynet explain URL...</c>.</summary>
internal static class ResolveCommand
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static int Run(string[] urls, bool explain, bool json, bool grpc, CliFlags flags, TextWriter stdout, TextWriter stderr)
    {
        var resolver = CliConfiguration.Load(flags).Resolver;
        foreach (string warning in resolver.Warnings)
        {
            stderr.WriteLine($"proxynet: warning: {Terminal.Safe(warning)}");
        }

        int exit = 0;
        foreach (string operand in urls)
        {
            if (!Uri.TryCreate(operand.Trim(), UriKind.Absolute, out var uri) || !operand.Contains("://", StringComparison.Ordinal))
            {
                string shown = UrlRedaction.Url(operand);
                if (json)
                {
                    WriteJson(stdout, shown, null, $"'{shown}' is not an absolute URL");
                }

                stderr.WriteLine($"proxynet: '{Terminal.Safe(shown)}' is not an absolute URL");

                exit = 2;
                continue;
            }

            var decision = grpc ? resolver.ResolveGrpc(uri) : resolver.Resolve(uri);
            if (decision.IsError)
            {
                exit = Math.Max(exit, 1);
            }

            if (explain)
            {
                // Reasons and a PAC script's answers and helper calls are text from a peer: escaped line by line.
                foreach (string line in resolver.Explain(uri, grpc).Split('\n'))
                {
                    stdout.WriteLine(Terminal.Safe(line.TrimEnd('\r')));
                }
            }
            else if (json)
            {
                WriteJson(stdout, Shown(operand, uri), decision, decision.Error);
            }
            else
            {
                stdout.WriteLine(Terminal.Safe($"{Shown(operand, uri)} -> {decision}"));
            }
        }

        return exit;
    }

    /// <summary>The argument as given, unless it carries user information or a query (a password, a token).</summary>
    private static string Shown(string operand, Uri uri) =>
        uri.UserInfo.Length == 0 && uri.Query.Length == 0 && uri.Fragment.Length == 0 ? operand : UrlRedaction.Url(uri);

    private static void WriteJson(TextWriter stdout, string url, ProxyDecision? decision, string? error)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("url", url);
            if (error is not null)
            {
                writer.WriteString("error", error);
            }
            else
            {
                if (decision!.Proxy is { } proxy)
                {
                    writer.WriteString("proxy", proxy.Address);
                }
                else
                {
                    writer.WriteNull("proxy");
                }

                // A PAC decision lists every candidate in order, DIRECT as null (semantics, section 7).
                if (decision.IsPacAnswer)
                {
                    writer.WriteStartArray("candidates");
                    foreach (var candidate in decision.CandidateProxies)
                    {
                        if (candidate is null)
                        {
                            writer.WriteNullValue();
                        }
                        else
                        {
                            writer.WriteStringValue(candidate.Address);
                        }
                    }

                    writer.WriteEndArray();
                }

                writer.WriteString("reason", decision.Reason);
            }

            writer.WriteEndObject();
        }

        stdout.WriteLine(Terminal.SafeJson(System.Text.Encoding.UTF8.GetString(buffer.ToArray())));
    }
}
