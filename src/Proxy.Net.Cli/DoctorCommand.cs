using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ProxyNet.Resolution;
using ProxyNet.Tls;
using ProxyNet.Tunnel;

namespace ProxyNet.Cli;

/// <summary>
/// <c>proxynet doctor [URL] [--json] [--config FILE] [--ca-file PATH] [--timeout S]</c>: checks the effective
/// configuration as a person would debug it and gives a verdict per line. Exit 1 when any line fails.
/// </summary>
internal static class DoctorCommand
{
    private static readonly (string Lower, string Upper)[] Variables =
    [
        ("http_proxy", "HTTP_PROXY"), ("https_proxy", "HTTPS_PROXY"), ("ftp_proxy", "FTP_PROXY"),
        ("all_proxy", "ALL_PROXY"), ("grpc_proxy", "GRPC_PROXY"), ("no_proxy", "NO_PROXY"),
    ];

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<int> RunAsync(string[] args, TextWriter stdout)
    {
        var parsed = CliArguments.Parse(args, new HashSet<string> { "--json" }, new HashSet<string> { "--config", "--ca-file", "--timeout" });
        if (parsed.Operands.Count > 1)
        {
            throw new UsageException("doctor takes at most one URL");
        }

        Uri? url = null;
        if (parsed.Operands.Count == 1 && (!Uri.TryCreate(parsed.Operands[0], UriKind.Absolute, out url) || !parsed.Operands[0].Contains("://", StringComparison.Ordinal)))
        {
            throw new UsageException($"'{Redaction.Url(parsed.Operands[0])}' is not an absolute URL");
        }

        var timeout = TimeSpan.FromSeconds(parsed.Value("--timeout") is { } t && double.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, out double s) && s > 0 ? s : 5);
        var checks = new List<Check>();
        CheckVariables(checks);

        var options = CliConfiguration.CreateOptions(parsed.Value("--config"));
        var resolver = ProxyResolver.Create(options);
        foreach (string warning in resolver.Warnings)
        {
            checks.Add(new("bypass list", Verdict.Warn, warning));
        }

        foreach (var (scheme, sample) in new[] { ("http", "http://doctor.invalid/"), ("https", "https://doctor.invalid/"), ("ftp", "ftp://doctor.invalid/") })
        {
            var decision = resolver.Resolve(new Uri(sample));
            checks.Add(decision.IsError
                ? new($"{scheme} proxy", Verdict.Fail, decision.Error!)
                : new($"{scheme} proxy", Verdict.Ok, decision.Proxy is null ? $"DIRECT ({decision.Reason})" : $"{decision.Proxy} ({decision.Reason})"));
        }

        var proxies = resolver.Settings.ProxyDecisions.Select(d => d.Proxy).OfType<ProxyEndpoint>().Distinct().ToList();
        foreach (var proxy in proxies)
        {
            await CheckProxyAsync(checks, proxy, url, options, timeout);
        }

        if (url is not null)
        {
            await CheckUrlAsync(checks, resolver, url, parsed.Value("--ca-file"), options, timeout);
        }

        var verdict = checks.Any(c => c.Verdict == Verdict.Fail) ? Verdict.Fail : checks.Any(c => c.Verdict == Verdict.Warn) ? Verdict.Warn : Verdict.Ok;
        if (parsed.Has("--json"))
        {
            stdout.WriteLine(Json(checks, verdict));
        }
        else
        {
            foreach (var check in checks)
            {
                stdout.WriteLine($"[{Label(check.Verdict)}] {check.Name}: {check.Detail}");
            }

            stdout.WriteLine($"Verdict: {verdict switch { Verdict.Fail => "problems found", Verdict.Warn => "works, with warnings", _ => "all good" }}");
        }

        return verdict == Verdict.Fail ? 1 : 0;
    }

    /// <summary><c>{"checks":[{"check","verdict","detail"}...],"verdict"}</c>, written without reflection (the tool is Native AOT).</summary>
    private static string Json(List<Check> checks, Verdict verdict)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("checks");
            foreach (var check in checks)
            {
                writer.WriteStartObject();
                writer.WriteString("check", check.Name);
                writer.WriteString("verdict", check.Verdict.ToString().ToLowerInvariant());
                writer.WriteString("detail", check.Detail);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("verdict", verdict.ToString().ToLowerInvariant());
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void CheckVariables(List<Check> checks)
    {
        bool any = false;
        foreach (var (lower, upper) in Variables)
        {
            string? l = Environment.GetEnvironmentVariable(lower)?.Trim(), u = Environment.GetEnvironmentVariable(upper)?.Trim();
            if (!string.IsNullOrEmpty(l) && !string.IsNullOrEmpty(u) && l != u)
            {
                checks.Add(new(upper, Verdict.Warn, $"{lower} and {upper} are both set and differ; {lower} wins ({Shown(lower, l)})"));
            }

            foreach (var (name, value) in new[] { (lower, l), (upper, u) })
            {
                if (!string.IsNullOrEmpty(value))
                {
                    any |= !name.Contains("no_proxy", StringComparison.OrdinalIgnoreCase);
                    checks.Add(new(name, Verdict.Ok, $"set: {Shown(name, value)}"));
                }
            }
        }

        if (Environment.GetEnvironmentVariable("REQUEST_METHOD") is not null && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("HTTP_PROXY")))
        {
            checks.Add(new("HTTP_PROXY", Verdict.Warn, "ignored: REQUEST_METHOD is set (CGI rule, httpoxy); use http_proxy"));
        }

        if (!any)
        {
            checks.Add(new("environment", Verdict.Warn, "no proxy variable is set: requests go DIRECT unless the configuration names a proxy"));
        }
    }

    /// <summary>A variable's value as it may be printed: proxy URLs without their password, NO_PROXY as written.</summary>
    private static string Shown(string name, string value) =>
        name.Contains("no_proxy", StringComparison.OrdinalIgnoreCase) ? value : ProxyAddressParser.Display(value);

    private static async Task CheckProxyAsync(List<Check> checks, ProxyEndpoint proxy, Uri? url, ProxyNetOptions options, TimeSpan timeout)
    {
        string name = $"proxy {proxy}";
        try
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            using var cancel = new CancellationTokenSource(timeout);
            await socket.ConnectAsync(proxy.Host, proxy.Port, cancel.Token);
            checks.Add(new(name, Verdict.Ok, "accepts a TCP connection"));
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            checks.Add(new(name, Verdict.Fail, e is OperationCanceledException ? $"no TCP connection within {timeout.TotalSeconds:0.#} s" : $"cannot connect: {e.Message}"));
            return;
        }

        if (proxy.IsSocks)
        {
            return;
        }

        var tunnel = new ProxyTunnelOptions
        {
            ConnectTimeout = timeout,
            ResponseTimeout = timeout,
            ProxyTrustedCertificates = options.Tls.ProxyCaCertificates.Count > 0 ? TrustMaterial.Load(options.Tls.ProxyCaCertificates, "Tls:ProxyCaCertificates") : null,
        };
        string host = url?.IdnHost ?? "example.com";
        int port = url is { Scheme: "https" or "wss" or "ftp" } ? url.Port : 443;
        await CheckConnectAsync(checks, $"{name} CONNECT {host}:{port}", proxy, host, port, tunnel, authCheck: true);
        if (url?.Scheme == "ftp")
        {
            // The DSS requirement: CONNECT to the control port and to passive data ports (Apache: AllowCONNECT 20 21 443 1024-65535).
            await CheckConnectAsync(checks, $"{name} CONNECT to an FTP data port", proxy, host, 50000, tunnel, authCheck: false);
        }
    }

    private static async Task CheckConnectAsync(List<Check> checks, string name, ProxyEndpoint proxy, string host, int port, ProxyTunnelOptions tunnel, bool authCheck)
    {
        try
        {
            await using var stream = await ProxyTunnel.ConnectAsync(proxy, host, port, tunnel);
            checks.Add(new(name, Verdict.Ok, authCheck && proxy.Credentials is not null ? $"allowed; credentials for '{proxy.Credentials.UserName}' accepted" : "allowed"));
        }
        catch (ProxyTunnelException e) when (e.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout)
        {
            // The proxy allowed the port and tried: the target itself did not answer.
            checks.Add(new(name, Verdict.Ok, $"allowed by the proxy (the target did not answer: {(int)e.StatusCode!})"));
        }
        catch (ProxyTunnelException e)
        {
            checks.Add(new(name, Verdict.Fail, e.Message));
        }
    }

    private static async Task CheckUrlAsync(List<Check> checks, ProxyResolver resolver, Uri url, string? caFile, ProxyNetOptions options, TimeSpan timeout)
    {
        var decision = resolver.Resolve(url);
        checks.Add(decision.IsError
            ? new("route", Verdict.Fail, $"{Redaction.Url(url)}: {decision.Error}")
            : new("route", Verdict.Ok, $"{Redaction.Url(url)}: {decision}"));
        if (decision.IsError || url.Scheme is not ("https" or "wss"))
        {
            return;
        }

        var roots = new X509Certificate2Collection();
        if (caFile is not null)
        {
            roots.AddRange(TrustMaterial.Load(caFile, "--ca-file"));
        }

        if (options.Tls.OriginCaCertificates.Count > 0)
        {
            roots.AddRange(TrustMaterial.Load(options.Tls.OriginCaCertificates, "Tls:OriginCaCertificates"));
        }

        string? failure = null;
        string? trustedBy = null;
        var validator = new CertificateValidator(roots, options.Tls.ReplaceSystemTrust, acceptAny: false, "origin");
        try
        {
            using var cancel = new CancellationTokenSource(timeout * 2);
            Stream stream = decision.Proxy is { IsSocks: false } proxy
                ? await ProxyTunnel.ConnectAsync(proxy, url.IdnHost, url.Port, new ProxyTunnelOptions { ConnectTimeout = timeout, ResponseTimeout = timeout }, cancel.Token)
                : await OpenDirectAsync(url, cancel.Token);
            await using var tls = new SslStream(stream);
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = url.IdnHost,
                    RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                    {
                        // The top of the presented chain: a root names itself, otherwise its issuer is the trusted CA.
                        trustedBy = chain?.ChainElements is { Count: > 0 } elements ? elements[^1].Certificate.Issuer : null;
                        return validator.Validate(url.IdnHost, certificate, chain, errors, out failure);
                    },
                },
                cancel.Token);
            checks.Add(new("certificate", Verdict.Ok, $"{tls.RemoteCertificate?.Subject} is trusted{(trustedBy is null ? string.Empty : $", issued under {trustedBy}")}"));
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException or ProxyConfigurationException)
        {
            checks.Add(new("certificate", Verdict.Fail, failure ?? e.Message));
        }
    }

    private static async Task<Stream> OpenDirectAsync(Uri url, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(url.IdnHost, url.Port, cancellationToken);
        return new NetworkStream(socket, ownsSocket: true);
    }

    private static string Label(Verdict verdict) => verdict switch
    {
        Verdict.Ok => " OK ",
        Verdict.Warn => "WARN",
        _ => "FAIL",
    };

    private enum Verdict
    {
        Ok,
        Warn,
        Fail,
    }

    private sealed record Check(string Name, Verdict Verdict, string Detail);
}
