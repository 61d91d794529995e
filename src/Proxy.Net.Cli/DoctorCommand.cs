using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ProxyNet.Configuration;
using ProxyNet.Http;
using ProxyNet.Tls;
using ProxyNet.Tunnel;

namespace ProxyNet.Cli;

/// <summary>
/// <c>proxynet doctor [URL] [--json] [--timeout S] [get's configuration flags]</c>: checks the effective configuration
/// as a person would debug it and gives a verdict per line, then sends a real request for URL through
/// <see cref="ProxyNetHandler"/> with the configuration <c>get</c> uses, so the two never disagree. A check that fails
/// (a bad CA file, a dead proxy) is reported and the others still run. Exit 1 when any line fails.
/// </summary>
internal static class DoctorCommand
{
    private static readonly (string Lower, string Upper)[] Variables =
    [
        ("http_proxy", "HTTP_PROXY"), ("https_proxy", "HTTPS_PROXY"), ("ftp_proxy", "FTP_PROXY"),
        ("all_proxy", "ALL_PROXY"), ("grpc_proxy", "GRPC_PROXY"), ("no_proxy", "NO_PROXY"),
    ];

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<int> RunAsync(string? urlText, bool json, string? timeoutText, CliFlags flags, TextWriter stdout, TextWriter stderr)
    {
        Uri? url = null;
        if (urlText is not null && (!Uri.TryCreate(urlText, UriKind.Absolute, out url) || !urlText.Contains("://", StringComparison.Ordinal)))
        {
            throw new UsageException($"'{UrlRedaction.Url(urlText)}' is not an absolute URL");
        }

        var timeout = TimeSpan.FromSeconds(timeoutText is { } t && double.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, out double s) && s > 0 ? s : 5);
        var checks = new List<Check>();
        CheckVariables(checks);

        CliConfiguration configuration;
        try
        {
            configuration = CliConfiguration.Load(flags);
        }
        catch (Exception e) when (e is ProxyConfigurationException or InvalidDataException or FormatException)
        {
            checks.Add(new("configuration", Verdict.Fail, e.Message));
            return Report(checks, json, stdout, new Secrets(null, url, []));
        }

        foreach (string danger in configuration.Dangers)
        {
            stderr.WriteLine($"proxynet: warning: {Terminal.Safe(danger)}");
            checks.Add(new("certificate checks", Verdict.Warn, danger));
        }

        var resolver = configuration.Resolver;
        foreach (string warning in resolver.Warnings)
        {
            checks.Add(new("bypass list", Verdict.Warn, warning));
        }

        var trust = DoctorTrust.Load(configuration.Options.Tls, checks);

        // Routes are checked apart from trust: a broken CA file is reported once (above) and the proxies still get checked.
        var routes = trust.Origin is null || trust.Proxy is null ? configuration.RoutesOnly() : resolver;
        if (configuration.Options.PacUrl is { Length: > 0 } pacUrl)
        {
            CheckPac(checks, routes, pacUrl, url);
        }

        var proxies = new List<ProxyEndpoint>();
        foreach (var (scheme, sample) in new[] { ("http", "http://doctor.invalid/"), ("https", "https://doctor.invalid/"), ("ftp", "ftp://doctor.invalid/") })
        {
            var decision = routes.Resolve(new Uri(sample));
            checks.Add(decision.IsError
                ? new($"{scheme} proxy", Verdict.Fail, decision.Error!)
                : new($"{scheme} proxy", Verdict.Ok, decision.Proxy is null ? $"DIRECT ({decision.Reason})" : $"{decision.Proxy} ({decision.Reason})"));
            AddProxy(proxies, decision.Proxy);
        }

        DoctorCloudChecks.Run(checks, routes, Environment.GetEnvironmentVariable);
        if (url is not null)
        {
            AddProxy(proxies, routes.Resolve(url).Proxy);
        }

        foreach (var proxy in proxies)
        {
            await DoctorServeCheck.RunAsync(checks, proxy, timeout);
            await DoctorProxyChecks.RunAsync(checks, proxy, url, trust, timeout);
        }

        if (url is not null)
        {
            await CheckUrlAsync(checks, resolver, url, trust, timeout);
        }

        return Report(checks, json, stdout, new Secrets(configuration.Options, url, proxies));
    }

    /// <summary>
    /// Fetches and compiles the PAC script (the first decision the script makes does), then times one more call. A URL
    /// that NO_PROXY (or BypassLoopback) sends DIRECT never asks the script: the line says so, and the script is timed
    /// on a made-up host instead.
    /// </summary>
    private static void CheckPac(List<Check> checks, ProxyNet.Resolution.ProxyResolver resolver, string pacUrl, Uri? url)
    {
        string shown = UrlRedaction.Url(pacUrl);
        string bypassed = string.Empty;
        var probe = url ?? new Uri("http://doctor.invalid/");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var first = resolver.Resolve(probe);
        if (!first.IsError && !first.IsPacAnswer)
        {
            bypassed = $"{probe.IdnHost} does not ask the script ({first.Reason}); ";
            clock.Restart();
            first = resolver.Resolve(new Uri($"http://doctor-{Guid.NewGuid():N}.invalid/"));
        }

        var load = clock.Elapsed;
        if (first.IsError)
        {
            checks.Add(new("PAC script", Verdict.Fail, first.Error!));
            return;
        }

        if (!first.IsPacAnswer)
        {
            checks.Add(new("PAC script", Verdict.Warn, $"{shown} is never asked: {bypassed}a made-up host does not ask it either ({first.Reason})"));
            return;
        }

        clock.Restart();
        var call = resolver.Resolve(new Uri($"http://doctor-{Guid.NewGuid():N}.invalid/"));
        var once = clock.Elapsed;
        checks.Add(call.IsError
            ? new("PAC script", Verdict.Fail, call.Error!)
            : new("PAC script", Verdict.Ok, $"{bypassed}{shown} fetched and compiled, first answer in {load.TotalMilliseconds:0} ms ({first.Reason}); one more call took {once.TotalMilliseconds:0.0} ms"));
    }

    private static void AddProxy(List<ProxyEndpoint> proxies, ProxyEndpoint? proxy)
    {
        if (proxy is not null && !proxies.Contains(proxy))
        {
            proxies.Add(proxy);
        }
    }

    private static int Report(List<Check> checks, bool json, TextWriter stdout, Secrets secrets)
    {
        var verdict = checks.Any(c => c.Verdict == Verdict.Fail) ? Verdict.Fail : checks.Any(c => c.Verdict == Verdict.Warn) ? Verdict.Warn : Verdict.Ok;
        if (json)
        {
            stdout.WriteLine(Json(checks, verdict, secrets));
        }
        else
        {
            foreach (var check in checks)
            {
                stdout.WriteLine($"[{Label(check.Verdict)}] {Secrets.Mask(check.Name)}: {secrets.MaskPeer(check.Detail)}");
            }

            stdout.WriteLine($"Verdict: {verdict switch { Verdict.Fail => "problems found", Verdict.Warn => "works, with warnings", _ => "all good" }}");
        }

        return verdict == Verdict.Fail ? 1 : 0;
    }

    /// <summary><c>{"checks":[{"check","verdict","detail"}...],"verdict"}</c>, written without reflection (the tool is Native AOT).</summary>
    private static string Json(List<Check> checks, Verdict verdict, Secrets secrets)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("checks");
            foreach (var check in checks)
            {
                writer.WriteStartObject();
                writer.WriteString("check", Secrets.Mask(check.Name));
                writer.WriteString("verdict", check.Verdict.ToString().ToLowerInvariant());
                writer.WriteString("detail", secrets.MaskPeer(check.Detail));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("verdict", verdict.ToString().ToLowerInvariant());
            writer.WriteEndObject();
        }

        return Terminal.SafeJson(Encoding.UTF8.GetString(buffer.WrittenSpan));
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
        name.Contains("no_proxy", StringComparison.OrdinalIgnoreCase) ? value : UrlRedaction.ProxyAddress(value);

    private static async Task CheckUrlAsync(List<Check> checks, ProxyNet.Resolution.ProxyResolver resolver, Uri url, DoctorTrust trust, TimeSpan timeout)
    {
        var decision = resolver.Resolve(url);
        checks.Add(decision.IsError
            ? new("route", Verdict.Fail, $"{UrlRedaction.Url(url)}: {decision.Error}")
            : new("route", Verdict.Ok, $"{UrlRedaction.Url(url)}: {decision}"));
        if (decision.IsError)
        {
            return;
        }

        if (url.Scheme is "https" or "wss")
        {
            await CheckCertificateAsync(checks, url, decision.Proxy, trust, timeout);
        }

        if (url.Scheme is "http" or "https" or "ftp")
        {
            await CheckRequestAsync(checks, resolver, url, timeout);
        }
    }

    /// <summary>The request <c>get</c> would send, through the same handler and configuration: the check that decides.</summary>
    private static async Task CheckRequestAsync(List<Check> checks, ProxyNet.Resolution.ProxyResolver resolver, Uri url, TimeSpan timeout)
    {
        string name = $"request GET {UrlRedaction.Url(url)}";
        try
        {
            using var client = new HttpClient(ProxyNetHandler.Create(resolver)) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            using var cancel = new CancellationTokenSource(timeout * 2);
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
            int status = (int)response.StatusCode;
            string answer = $"{status} {response.ReasonPhrase}";
            checks.Add(status switch
            {
                407 => new(name, Verdict.Fail, $"the proxy refused the credentials: {answer}"),
                >= 400 => new(name, Verdict.Warn, $"the route works; the server answered {answer}"),
                _ => new(name, Verdict.Ok, $"answered {answer}"),
            });
        }
        catch (OperationCanceledException)
        {
            checks.Add(new(name, Verdict.Fail, $"no answer within {(timeout * 2).TotalSeconds:0.#} s"));
        }
        catch (Exception e) when (e is HttpRequestException or IOException or ProxyConfigurationException or System.Security.Authentication.AuthenticationException)
        {
            checks.Add(new(name, Verdict.Fail, TransferCommand.Describe(e)));
        }
    }

    private static async Task CheckCertificateAsync(List<Check> checks, Uri url, ProxyEndpoint? proxy, DoctorTrust trust, TimeSpan timeout)
    {
        if (trust.Origin is not { } origin)
        {
            checks.Add(new("certificate", Verdict.Fail, "not checked: origin trust could not be loaded (see above)"));
            return;
        }

        string? failure = null;
        string? trustedBy = null;
        try
        {
            using var cancel = new CancellationTokenSource(timeout * 2);
            Stream stream = proxy is { IsSocks: false }
                ? await ProxyTunnel.ConnectAsync(proxy, url.IdnHost, url.Port, trust.TunnelOptions(proxy, timeout), cancel.Token)
                : await OpenDirectAsync(url, cancel.Token);
            // The SslStream owns the stream from here: disposing it closes the connection whatever happens next.
            await using var tls = new SslStream(stream);
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = url.IdnHost,
                    RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                    {
                        // The top of the presented chain: a root names itself, otherwise its issuer is the trusted CA.
                        trustedBy = chain?.ChainElements is { Count: > 0 } elements ? elements[^1].Certificate.Issuer : null;
                        return origin.ValidateOrigin(url.IdnHost, certificate, chain, errors, out failure);
                    },
                },
                cancel.Token);
            string detail = origin.AcceptsAnyOriginCertificate
                ? $"{tls.RemoteCertificate?.Subject} accepted without a check (accept-any-certificate is on)"
                : $"{tls.RemoteCertificate?.Subject} is trusted{(trustedBy is null ? string.Empty : $", issued under {trustedBy}")}";
            checks.Add(new("certificate", origin.AcceptsAnyOriginCertificate ? Verdict.Warn : Verdict.Ok, detail));
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException or ProxyConfigurationException)
        {
            checks.Add(new("certificate", Verdict.Fail, failure ?? e.Message));
        }
    }

    private static Task<Stream> OpenDirectAsync(Uri url, CancellationToken cancellationToken) =>
        ConnectAsync(url.IdnHost, url.Port, cancellationToken);

    /// <summary>A TCP connection to <paramref name="host"/>; on any failure (refused, cancelled) the socket is closed.</summary>
    internal static async Task<Stream> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new NetworkStream(socket, ownsSocket: true);
    }

    private static string Label(Verdict verdict) => verdict switch
    {
        Verdict.Ok => " OK ",
        Verdict.Warn => "WARN",
        _ => "FAIL",
    };

    internal enum Verdict
    {
        Ok,
        Warn,
        Fail,
    }

    internal sealed record Check(string Name, Verdict Verdict, string Detail);
}
