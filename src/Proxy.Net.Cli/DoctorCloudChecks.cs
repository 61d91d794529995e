using System.Net;
using System.Net.Sockets;
using ProxyNet.Resolution;
using static ProxyNet.Cli.DoctorCommand;

namespace ProxyNet.Cli;

/// <summary>
/// Routes doctor compares without sending anything: in-cluster Kubernetes services against NO_PROXY, and each cloud's
/// data endpoint against the endpoints its SDK fetches credentials from. A token request that goes DIRECT while data
/// goes through the proxy (or the reverse) is the half-proxied failure (aws/aws-sdk-net#4027: SSO credentials get a
/// 407, or time out, behind a proxy the data requests pass).
/// </summary>
internal static class DoctorCloudChecks
{
    private const string Half = "the half-proxied failure (aws/aws-sdk-net#4027): credentials must take the data's route";

    public static void Run(List<Check> checks, ProxyResolver routes, Func<string, string?> environment)
    {
        Kubernetes(checks, routes, environment);
        string region = Value(environment, "AWS_REGION") ?? Value(environment, "AWS_DEFAULT_REGION") ?? "us-east-1";
        string account = Value(environment, "AZURE_STORAGE_ACCOUNT") ?? "account";
        Credentials(checks, routes, "AWS", "s3.amazonaws.com", ["sts.amazonaws.com", $"sts.{region}.amazonaws.com", $"portal.sso.{region}.amazonaws.com", $"oidc.{region}.amazonaws.com"]);
        Credentials(checks, routes, "Azure", $"{account}.blob.core.windows.net", ["login.microsoftonline.com"]);
        Credentials(checks, routes, "Google Cloud", "storage.googleapis.com", ["oauth2.googleapis.com"]);
    }

    /// <summary>In a pod (KUBERNETES_SERVICE_HOST set), the cluster's own names must bypass the proxy, which cannot resolve them.</summary>
    private static void Kubernetes(List<Check> checks, ProxyResolver routes, Func<string, string?> environment)
    {
        if (Value(environment, "KUBERNETES_SERVICE_HOST") is not { } apiHost)
        {
            return;
        }

        var missing = new List<string>();
        var proxied = new List<string>();
        foreach (var (host, entry) in new[] { ("kubernetes.default.svc.cluster.local", ".svc.cluster.local"), ("kubernetes.default.svc", ".svc") })
        {
            if (routes.Resolve(new Uri($"https://{host}/")) is { IsError: false, IsDirect: false } route)
            {
                missing.Add(entry);
                proxied.Add($"{host} goes {Shown(route)}");
            }
        }

        string port = Value(environment, "KUBERNETES_SERVICE_PORT") ?? "443";
        string api = IPAddress.TryParse(apiHost, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{apiHost}]" : apiHost;
        if (Uri.TryCreate($"https://{api}:{port}/", UriKind.Absolute, out var apiUrl) && routes.Resolve(apiUrl) is { IsError: false, IsDirect: false } apiRoute)
        {
            missing.Add(apiHost);
            proxied.Add($"the API server {api}:{port} (KUBERNETES_SERVICE_HOST) goes {Shown(apiRoute)}");
        }

        checks.Add(missing.Count == 0
            ? new("kubernetes", Verdict.Ok, "KUBERNETES_SERVICE_HOST is set and in-cluster services (.svc, .svc.cluster.local) and the API server bypass the proxy")
            : new("kubernetes", Verdict.Warn, $"KUBERNETES_SERVICE_HOST is set but NO_PROXY does not cover in-cluster services: {string.Join("; ", proxied)}. Add {string.Join(", ", missing)} to NO_PROXY (\".svc.cluster.local must be in the list\", as CARTO puts it)"));
    }

    /// <summary>One line per cloud: OK when its data and token endpoints take one route, WARN naming both otherwise.</summary>
    private static void Credentials(List<Check> checks, ProxyResolver routes, string cloud, string dataHost, string[] tokenHosts)
    {
        var data = routes.Resolve(new Uri($"https://{dataHost}/"));
        if (data.IsError)
        {
            return;
        }

        var split = new List<string>();
        bool proxied = !data.IsDirect;
        foreach (string tokenHost in tokenHosts)
        {
            var token = routes.Resolve(new Uri($"https://{tokenHost}/"));
            if (token.IsError)
            {
                continue;
            }

            proxied |= !token.IsDirect;
            if (Key(token) != Key(data))
            {
                string fix = token.MatchedEntry is { } tokenEntry && !data.IsDirect ? $" (remove {tokenEntry} from NO_PROXY, or bypass {dataHost} too)"
                    : data.MatchedEntry is { } dataEntry && !token.IsDirect ? $" (add {tokenHost} to NO_PROXY beside {dataEntry}, or remove {dataEntry})"
                    : string.Empty;
                split.Add($"data at {dataHost} goes {Shown(data)} but credentials from {tokenHost} go {Shown(token)}{fix}");
            }
        }

        if (split.Count > 0)
        {
            checks.Add(new($"{cloud} credentials", Verdict.Warn, $"{string.Join("; ", split)}: {Half}"));
        }
        else if (proxied)
        {
            checks.Add(new($"{cloud} credentials", Verdict.Ok, $"data ({dataHost}) and credentials ({string.Join(", ", tokenHosts)}) take one route: {Shown(data)}"));
        }
    }

    /// <summary>What makes two routes the same for a token: the proxies in order (DIRECT as null), not the reason.</summary>
    private static string Key(ProxyDecision route) => string.Join(",", route.CandidateProxies.Select(p => p?.Address ?? "DIRECT"));

    private static string Shown(ProxyDecision route) =>
        route.IsDirect ? $"DIRECT ({route.Reason})" : $"through {string.Join(", then ", route.CandidateProxies.Select(p => p?.Address ?? "DIRECT"))} ({route.Reason})";

    private static string? Value(Func<string, string?> environment, string name) =>
        environment(name)?.Trim() is { Length: > 0 } value ? value : null;
}
