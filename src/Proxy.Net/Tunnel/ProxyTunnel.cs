using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using ProxyNet.Resolution;
using ProxyNet.Tls;

namespace ProxyNet.Tunnel;

/// <summary>
/// Opens a raw TCP stream to <c>host:port</c> through an HTTP or HTTPS proxy with CONNECT: the primitive under the
/// FTP client, usable for anything that needs a tunnel (databases, SMTP).
/// </summary>
/// <example>
/// <code>
/// await using Stream stream = await ProxyTunnel.ConnectAsync(new Uri("http://user:pw@proxy:3128"), "db.internal", 5432);
/// </code>
/// </example>
public static class ProxyTunnel
{
    /// <summary>Opens a tunnel through <paramref name="proxy"/> (<c>http://</c> or <c>https://</c>; user information becomes the credentials).</summary>
    public static Task<Stream> ConnectAsync(Uri proxy, string host, int port, ProxyTunnelOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        if (!ProxyAddressParser.TryParse(proxy.OriginalString, "proxy", out var endpoint, out string? error))
        {
            throw new ProxyConfigurationException(error!);
        }

        return ConnectAsync(endpoint!, host, port, options, cancellationToken);
    }

    /// <summary>Opens a tunnel through a resolved proxy endpoint (as in <see cref="ProxyDecision.Proxy"/>).</summary>
    public static async Task<Stream> ConnectAsync(ProxyEndpoint proxy, string host, int port, ProxyTunnelOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        ValidateTarget(host, port);
        if (proxy.Scheme is not ("http" or "https"))
        {
            throw new ProxyConfigurationException($"Proxy {proxy}: CONNECT tunnels need an http:// or https:// proxy, not {proxy.Scheme}");
        }

        options ??= new ProxyTunnelOptions();
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var stream = await OpenTunnelAsync(proxy, host, port, options, cancellationToken).ConfigureAwait(false);
            Diagnostics.ProxyNetTelemetry.ConnectDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
            return stream;
        }
        catch (ProxyTunnelException e)
        {
            Diagnostics.ProxyNetTelemetry.CountFailure(e.StatusCode switch
            {
                HttpStatusCode.ProxyAuthenticationRequired => "auth",
                not null => "refused",
                _ when e.InnerException is TimeoutException => "timeout",
                _ when e.InnerException is SocketException => "connect",
                _ when e.InnerException is System.Security.Authentication.AuthenticationException => "tls",
                _ => "protocol",
            });
            throw;
        }
    }

    private static async Task<Stream> OpenTunnelAsync(ProxyEndpoint proxy, string host, int port, ProxyTunnelOptions options, CancellationToken cancellationToken)
    {
        var credentials = options.Credentials ?? proxy.Credentials;
        string authority = host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";

        var (stream, status, reason, challenge) = await AttemptAsync(proxy, authority, null, options, cancellationToken).ConfigureAwait(false);
        if (status == HttpStatusCode.ProxyAuthenticationRequired && credentials is not null)
        {
            await stream!.DisposeAsync().ConfigureAwait(false);
            if (challenge is not null && !challenge.Contains("basic", StringComparison.OrdinalIgnoreCase))
            {
                throw new ProxyTunnelException($"Proxy {proxy} asks for '{challenge.Split(' ')[0]}' authentication; only Basic is supported", status);
            }

            (stream, status, reason, _) = await AttemptAsync(proxy, authority, credentials, options, cancellationToken).ConfigureAwait(false);
        }

        if (status == HttpStatusCode.OK)
        {
            return stream!;
        }

        await stream!.DisposeAsync().ConfigureAwait(false);
        throw new ProxyTunnelException(Describe(proxy, authority, status, reason, credentials), status);
    }

    internal static void ValidateTarget(string host, int port)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        if (host.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '/' or '@' or '?' or '#'))
        {
            throw new ArgumentException("The tunnel target host contains a control character, a space or a URL delimiter (refused: request smuggling).", nameof(host));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
    }

    private static string Describe(ProxyEndpoint proxy, string authority, HttpStatusCode status, string reason, NetworkCredential? credentials) => status switch
    {
        HttpStatusCode.ProxyAuthenticationRequired when credentials is null =>
            $"Proxy {proxy} requires authentication (407) for CONNECT {authority} and no credentials are configured",
        HttpStatusCode.ProxyAuthenticationRequired =>
            $"Proxy {proxy} rejected the credentials for user '{credentials!.UserName}' (407) for CONNECT {authority}",
        HttpStatusCode.Forbidden =>
            $"Proxy {proxy} refused CONNECT {authority} (403 {reason}): port {authority[(authority.LastIndexOf(':') + 1)..]} is probably not allowed by the proxy (Apache AllowCONNECT, squid SSL_ports)",
        _ => $"Proxy {proxy} answered {(int)status} {reason} to CONNECT {authority}",
    };

    private static async Task<(Stream? Stream, HttpStatusCode Status, string Reason, string? Challenge)> AttemptAsync(
        ProxyEndpoint proxy, string authority, NetworkCredential? credentials, ProxyTunnelOptions options, CancellationToken cancellationToken)
    {
        Stream stream = await OpenAsync(proxy, options, cancellationToken).ConfigureAwait(false);
        try
        {
            var request = new StringBuilder();
            request.Append(CultureInfo.InvariantCulture, $"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n");
            if (credentials is not null)
            {
                string token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.UserName}:{credentials.Password}"));
                request.Append(CultureInfo.InvariantCulture, $"Proxy-Authorization: Basic {token}\r\n");
            }

            request.Append("\r\n");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.ResponseTimeout);
            try
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()), timeout.Token).ConfigureAwait(false);
                var (status, reason, challenge, rest) = await ReadResponseAsync(stream, proxy, authority, options.MaxResponseHeaderBytes, timeout.Token).ConfigureAwait(false);
                return (new TunnelStream(stream, rest), status, reason, challenge);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ProxyTunnelException($"Proxy {proxy} did not answer CONNECT {authority} within {options.ResponseTimeout.TotalSeconds:0.#} s", null, new TimeoutException());
            }
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<Stream> OpenAsync(ProxyEndpoint proxy, ProxyTunnelOptions options, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(options.ConnectTimeout);
                try
                {
                    await socket.ConnectAsync(proxy.Host, proxy.Port, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new ProxyTunnelException($"Proxy {proxy} did not accept a connection within {options.ConnectTimeout.TotalSeconds:0.#} s", null, new TimeoutException());
                }
                catch (SocketException e)
                {
                    throw new ProxyTunnelException($"Cannot connect to proxy {proxy}: {e.Message}", null, e);
                }
            }

            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (proxy.Scheme != "https")
            {
                return stream;
            }

            var tls = new SslStream(stream, leaveInnerStreamOpen: false);
            string? failure = null;
            var validator = new CertificateValidator(options.ProxyTrustedCertificates, replaceSystemTrust: false, acceptAny: false, "proxy");
            try
            {
                await tls.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions
                    {
                        TargetHost = proxy.Host,
                        RemoteCertificateValidationCallback = options.ProxyCertificateValidation
                            ?? ((_, certificate, chain, errors) => validator.Validate(proxy.Host, certificate, chain, errors, out failure)),
                        ClientCertificates = options.ProxyClientCertificates,
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (System.Security.Authentication.AuthenticationException e)
            {
                await tls.DisposeAsync().ConfigureAwait(false);
                throw new ProxyTunnelException($"TLS to proxy {proxy} failed: {failure ?? e.Message}", null, e);
            }

            return tls;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<(HttpStatusCode Status, string Reason, string? Challenge, ReadOnlyMemory<byte> Leftover)> ReadResponseAsync(
        Stream stream, ProxyEndpoint proxy, string authority, int maxHeaderBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[Math.Min(maxHeaderBytes, 4096)];
        int filled = 0;
        while (true)
        {
            int end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var (status, reason, challenge) = ParseHead(Encoding.Latin1.GetString(buffer, 0, end), proxy, authority);
                return (status, reason, challenge, buffer.AsMemory(end + 4, filled - end - 4).ToArray());
            }

            if (filled == buffer.Length)
            {
                if (buffer.Length >= maxHeaderBytes)
                {
                    throw new ProxyTunnelException($"Proxy {proxy} sent a CONNECT response header over {maxHeaderBytes} bytes for {authority} (refused as hostile)");
                }

                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, maxHeaderBytes));
            }

            int read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new ProxyTunnelException(filled == 0
                    ? $"Proxy {proxy} closed the connection without answering CONNECT {authority}"
                    : $"Proxy {proxy} closed the connection in the middle of its CONNECT response for {authority}");
            }

            filled += read;
        }
    }

    private static (HttpStatusCode Status, string Reason, string? Challenge) ParseHead(string head, ProxyEndpoint proxy, string authority)
    {
        string[] lines = head.Split("\r\n");
        string[] statusLine = lines[0].Split(' ', 3);
        if (statusLine.Length < 2 || !statusLine[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            || statusLine[1].Length != 3 || !int.TryParse(statusLine[1], NumberStyles.None, CultureInfo.InvariantCulture, out int code))
        {
            string shown = new(lines[0].Take(60).Select(c => char.IsControl(c) ? '?' : c).ToArray());
            throw new ProxyTunnelException($"Proxy {proxy} did not answer CONNECT {authority} with HTTP (got '{shown}')");
        }

        string? challenge = lines.Skip(1)
            .Where(l => l.StartsWith("Proxy-Authenticate:", StringComparison.OrdinalIgnoreCase))
            .Select(l => l["Proxy-Authenticate:".Length..].Trim())
            .FirstOrDefault(c => c.StartsWith("basic", StringComparison.OrdinalIgnoreCase))
            ?? lines.Skip(1).Where(l => l.StartsWith("Proxy-Authenticate:", StringComparison.OrdinalIgnoreCase)).Select(l => l["Proxy-Authenticate:".Length..].Trim()).FirstOrDefault();
        return ((HttpStatusCode)code, statusLine.Length > 2 ? statusLine[2] : string.Empty, challenge);
    }
}
