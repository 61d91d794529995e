using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using ProxyNet.Tunnel;
using static ProxyNet.Cli.DoctorCommand;

namespace ProxyNet.Cli;

/// <summary>
/// The checks of one proxy, each on its own (a failure is reported, never thrown): TCP, the authentication schemes
/// it offers to an unauthenticated CONNECT, and CONNECT through Proxy.Net's tunnel (what FTP and HTTPS proxies use).
/// </summary>
internal static class DoctorProxyChecks
{
    // The login engine's order of preference when a proxy offers several schemes (strongest first).
    private static readonly (string Name, ProxyAuthSchemes Flag)[] Preference =
    [
        ("Negotiate", ProxyAuthSchemes.Negotiate), ("NTLM", ProxyAuthSchemes.Ntlm), ("Digest", ProxyAuthSchemes.Digest), ("Basic", ProxyAuthSchemes.Basic),
    ];

    public static async Task RunAsync(List<Check> checks, ProxyEndpoint proxy, Uri? url, DoctorTrust trust, TimeSpan timeout)
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

        if (proxy.Scheme == "https" && trust.Proxy is null)
        {
            checks.Add(new($"{name} CONNECT", Verdict.Fail, "not checked: proxy trust could not be loaded (see above)"));
            return;
        }

        string host = url?.IdnHost ?? "example.com";
        int port = url is { Scheme: "https" or "wss" or "ftp" } ? url.Port : 443;
        var offered = await CheckAuthenticationAsync(checks, name, proxy, host, port, trust, timeout);
        var tunnel = trust.TunnelOptions(proxy, timeout);
        bool ftp = url?.Scheme == "ftp";
        await CheckConnectAsync(checks, $"{name} CONNECT {host}:{port}", proxy, host, port, tunnel, offered, authCheck: true, decisive: ftp || proxy.Scheme == "https");
        if (ftp)
        {
            // The DSS requirement: CONNECT to the control port and to passive data ports (Apache: AllowCONNECT 20 21 443 1024-65535).
            await CheckConnectAsync(checks, $"{name} CONNECT to an FTP data port", proxy, host, 50000, tunnel, offered, authCheck: false, decisive: true);
        }
    }

    /// <summary>Asks with an unauthenticated CONNECT which schemes the proxy offers (its <c>Proxy-Authenticate</c> headers).</summary>
    private static async Task<List<string>> CheckAuthenticationAsync(List<Check> checks, string name, ProxyEndpoint proxy, string host, int port, DoctorTrust trust, TimeSpan timeout)
    {
        string check = $"{name} authentication";
        try
        {
            var (status, offered) = await ProbeAsync(proxy, host, port, trust, timeout);
            if (status != 407)
            {
                checks.Add(new(check, Verdict.Ok, $"none asked (an unauthenticated CONNECT got {status})"));
                return offered;
            }

            string list = offered.Count == 0 ? "no scheme" : string.Join(", ", offered);
            if (proxy.Credentials is null && !proxy.UseDefaultCredentials)
            {
                checks.Add(new(check, Verdict.Fail, $"offers {list}, and no credentials are configured for it"));
                return offered;
            }

            string? failure = LoginFailure(proxy, offered, out string used);
            checks.Add(new(check, failure is null ? Verdict.Ok : Verdict.Fail, failure is null
                ? $"offers {list}; Proxy.Net logs in {Who(proxy)} with {used} (the strongest offered{(proxy.AuthSchemes == ProxyAuthSchemes.All ? string.Empty : $" that AuthSchemes ({proxy.AuthSchemes}) allows")}), on requests and tunnels alike"
                : $"offers {list}, {failure}"));
            return offered;
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or AuthenticationException or FormatException)
        {
            checks.Add(new(check, Verdict.Warn, $"could not ask: {(e is OperationCanceledException ? "no answer in time" : TransferCommand.Describe(e))}"));
            return [];
        }
    }

    /// <summary>Why the login engine cannot answer these offers, or null with the scheme it will use (its rules, from the endpoint's login).</summary>
    private static string? LoginFailure(ProxyEndpoint proxy, List<string> offered, out string used)
    {
        used = string.Empty;
        var known = Preference.Where(p => offered.Contains(p.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        if (known.Count == 0)
        {
            return "none of which Proxy.Net can log in with (Negotiate, NTLM, Digest, Basic)";
        }

        var allowed = known.Where(p => proxy.AuthSchemes.HasFlag(p.Flag)).ToList();
        if (allowed.Count == 0)
        {
            return $"none of which AuthSchemes ({proxy.AuthSchemes}) allows";
        }

        // The current user has no password to send: Negotiate and NTLM only.
        var usable = allowed.Where(p => proxy.Credentials is not null || p.Name is "Negotiate" or "NTLM").ToList();
        if (usable.Count == 0)
        {
            return "and UseDefaultCredentials (the current user, no password) covers only Negotiate and NTLM";
        }

        used = usable[0].Name;
        return null;
    }

    private static string Who(ProxyEndpoint proxy) => proxy.Credentials is { } credentials ? $"as '{credentials.UserName}'" : "as the current user";

    private static async Task<(int Status, List<string> Offered)> ProbeAsync(ProxyEndpoint proxy, string host, int port, DoctorTrust trust, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await using Stream stream = await OpenAsync(proxy, trust, cancel.Token);
        string authority = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n"), cancel.Token);
        var head = new StringBuilder();
        var buffer = new byte[4096];
        while (head.Length < 32 * 1024 && !head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            int read = await stream.ReadAsync(buffer, cancel.Token);
            if (read == 0)
            {
                break;
            }

            head.Append(Encoding.Latin1.GetString(buffer, 0, read));
        }

        string[] lines = head.ToString().Split("\r\n");
        string[] statusLine = lines[0].Split(' ', 3);
        if (statusLine.Length < 2 || !int.TryParse(statusLine[1], System.Globalization.CultureInfo.InvariantCulture, out int status))
        {
            throw new FormatException("the proxy's answer is not HTTP");
        }

        var offered = lines
            .TakeWhile(l => l.Length > 0)
            .Where(l => l.StartsWith("Proxy-Authenticate:", StringComparison.OrdinalIgnoreCase))
            .Select(l => l["Proxy-Authenticate:".Length..].Trim().Split(' ', 2)[0])
            .Where(s => s.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        return (status, offered);
    }

    /// <summary>A connection to the proxy (TLS to an https:// proxy); on any failure nothing is left open.</summary>
    private static async Task<Stream> OpenAsync(ProxyEndpoint proxy, DoctorTrust trust, CancellationToken cancellationToken)
    {
        Stream stream = await DoctorCommand.ConnectAsync(proxy.Host, proxy.Port, cancellationToken);
        if (proxy.Scheme != "https")
        {
            return stream;
        }

        var tls = new SslStream(stream);
        var proxyTrust = trust.Proxy!;
        try
        {
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = proxy.Host,
                    RemoteCertificateValidationCallback = (_, certificate, chain, errors) => proxyTrust.ValidateProxy(proxy.Host, certificate, chain, errors, out string? _),
                },
                cancellationToken);
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }

        return tls;
    }

    /// <param name="decisive">
    /// False when HttpClient requests (not this tunnel) will use the proxy: a scheme this tunnel cannot answer is then
    /// no failure, since the request check shows what HttpClient does with it.
    /// </param>
    private static async Task CheckConnectAsync(List<Check> checks, string name, ProxyEndpoint proxy, string host, int port, ProxyTunnelOptions tunnel, List<string> offered, bool authCheck, bool decisive)
    {
        try
        {
            await using var stream = await ProxyTunnel.ConnectAsync(proxy, host, port, tunnel);
            checks.Add(new(name, Verdict.Ok, !authCheck ? "allowed"
                : proxy.Credentials is not null ? $"allowed; credentials for '{proxy.Credentials.UserName}' accepted"
                : proxy.UseDefaultCredentials ? "allowed; the current user's login accepted"
                : "allowed"));
        }
        catch (ProxyTunnelException e) when (e.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout)
        {
            // The proxy allowed the port and tried: the target itself did not answer.
            checks.Add(new(name, Verdict.Ok, $"allowed by the proxy (the target did not answer: {(int)e.StatusCode!})"));
        }
        catch (ProxyTunnelException e) when (!decisive && e.StatusCode == HttpStatusCode.ProxyAuthenticationRequired && proxy.Credentials is not null
            && offered.Count > 0 && !offered.Contains("Basic", StringComparer.OrdinalIgnoreCase))
        {
            checks.Add(new(name, Verdict.Ok, $"not tried: the proxy asks for {string.Join(", ", offered)}, which HttpClient requests answer (see the request check)"));
        }
        catch (ProxyTunnelException e)
        {
            checks.Add(new(name, Verdict.Fail, e.Message));
        }
    }
}
