using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using ProxyNet.Authentication;
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
        string authority = host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";

        // One clock for the whole setup (TCP, TLS, every CONNECT answer and login leg) besides the caller's token.
        using var setup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        setup.CancelAfter(options.ConnectTimeout);
        var stage = new SetupStage();
        try
        {
            return await SetUpAsync(proxy, authority, options, stage, setup.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && setup.IsCancellationRequested)
        {
            throw new ProxyTunnelException(stage.TimeoutMessage(proxy, authority, options.ConnectTimeout), null, new TimeoutException());
        }
    }

    private static async Task<Stream> SetUpAsync(ProxyEndpoint proxy, string authority, ProxyTunnelOptions options, SetupStage stage, CancellationToken cancellationToken)
    {
        var credentials = options.Credentials ?? proxy.Credentials;

        // The endpoint's login (from the options section) and the caller's tunnel options both apply.
        using var login = new ProxyAuthenticator(
            proxy.Host,
            credentials,
            options.UseDefaultCredentials || proxy.Login.UseDefaultCredentials,
            options.AuthSchemes & proxy.Login.Schemes,
            secureChannel: proxy.Scheme == "https");
        string? authorization = options.PreemptiveBasic || proxy.Login.PreemptiveBasic ? login.Preemptive() : null;
        bool reconnected = false;
        var connection = await OpenAsync(proxy, authority, options, stage, cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var response = await ExchangeAsync(connection, proxy, authority, authorization, options, stage, cancellationToken).ConfigureAwait(false);
                if (response is null)
                {
                    // Closed without an answer: a proxy that drops the connection after a 407 it did not mark "close".
                    if (authorization is null || reconnected)
                    {
                        throw new ProxyTunnelException($"Proxy {proxy} closed the connection without answering CONNECT {authority}"
                            + (reconnected ? " (after a reconnect for its login)" : string.Empty));
                    }

                    (connection, reconnected) = (await ReconnectAsync(connection, proxy, authority, options, stage, cancellationToken).ConfigureAwait(false), true);
                    authorization = login.Restart("CONNECT", authority) ?? authorization;
                    continue;
                }

                if ((int)response.Status is >= 200 and < 300)
                {
                    return connection.Detach();
                }

                if (response.Status != HttpStatusCode.ProxyAuthenticationRequired)
                {
                    throw new ProxyTunnelException(Describe(proxy, authority, response.Status, response.Reason), response.Status);
                }

                authorization = login.Next(AuthChallenge.Parse(response.Challenges), "CONNECT", authority)
                    ?? throw new ProxyTunnelException($"Proxy {proxy} refused CONNECT {authority} with 407 (login required): {login.Describe()}", response.Status);
                if (!await connection.DiscardBodyAsync(response, cancellationToken).ConfigureAwait(false))
                {
                    if (reconnected)
                    {
                        throw new ProxyTunnelException($"Proxy {proxy} closed the connection after a 407 twice for CONNECT {authority}; {login.Scheme} needs one kept-alive connection for its legs", response.Status);
                    }

                    (connection, reconnected) = (await ReconnectAsync(connection, proxy, authority, options, stage, cancellationToken).ConfigureAwait(false), true);
                    if (login.IsConnectionBased)
                    {
                        // NTLM/Negotiate state belongs to the closed connection: start the exchange again.
                        authorization = login.Restart("CONNECT", authority) ?? authorization;
                    }
                }
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sends one CONNECT and reads its final answer within <see cref="ProxyTunnelOptions.ResponseTimeout"/>.</summary>
    private static async Task<ProxyResponse?> ExchangeAsync(
        ProxyConnection connection, ProxyEndpoint proxy, string authority, string? authorization, ProxyTunnelOptions options, SetupStage stage, CancellationToken cancellationToken)
    {
        var request = new StringBuilder();
        request.Append(CultureInfo.InvariantCulture, $"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n");
        if (authorization is not null)
        {
            // The one check for every login scheme, where the header is written: a CR or LF from a user name, a
            // password or the proxy's own challenge (realm, nonce, opaque) would end the line and start a header of
            // its choosing. The value is not quoted: it holds the credentials.
            if (PeerText.HasControl(authorization))
            {
                throw new ProxyTunnelException($"Proxy {proxy}: the Proxy-Authorization for CONNECT {authority} would carry a control character (CR, LF or another) from the user name, the password or the proxy's challenge (realm, nonce, opaque); nothing was sent");
            }

            request.Append(CultureInfo.InvariantCulture, $"Proxy-Authorization: {authorization}\r\n");
        }

        foreach (var (name, value) in proxy.Headers.Concat(options.ProxyHeaders))
        {
            if (ProxyHeaders.Problem(name, value) is { } problem)
            {
                throw new ArgumentException($"ProxyHeaders: {problem}", nameof(options));
            }

            request.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        request.Append("Proxy-Connection: Keep-Alive\r\n\r\n");
        stage.Current = SetupStage.Connect;
        using var answer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        answer.CancelAfter(options.ResponseTimeout);
        try
        {
            try
            {
                await connection.WriteAsync(request.ToString(), answer.Token).ConfigureAwait(false);
            }
            catch (IOException) when (authorization is not null)
            {
                // The proxy closed the connection after its 407: the caller reconnects once.
                return null;
            }

            try
            {
                return await connection.ReadResponseAsync(answer.Token).ConfigureAwait(false);
            }
            catch (IOException e) when (authorization is not null && e is not ProxyTunnelException)
            {
                // Reset rather than closed after its 407: the same one reconnect.
                return null;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProxyTunnelException($"Proxy {proxy} did not answer CONNECT {authority} within {options.ResponseTimeout.TotalSeconds:0.#} s", null, new TimeoutException());
        }
    }

    private static async Task<ProxyConnection> ReconnectAsync(ProxyConnection old, ProxyEndpoint proxy, string authority, ProxyTunnelOptions options, SetupStage stage, CancellationToken cancellationToken)
    {
        await old.DisposeAsync().ConfigureAwait(false);
        return await OpenAsync(proxy, authority, options, stage, cancellationToken).ConfigureAwait(false);
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

    /// <summary>A refusal in words; the reason phrase is the proxy's text, escaped (it may hold ESC, CR or LF).</summary>
    private static string Describe(ProxyEndpoint proxy, string authority, HttpStatusCode status, string phrase)
    {
        string reason = PeerText.Escape(phrase, 200);
        return status switch
        {
            HttpStatusCode.Forbidden =>
                $"Proxy {proxy} refused CONNECT {authority} (403 {reason}): port {authority[(authority.LastIndexOf(':') + 1)..]} is probably not allowed by the proxy (Apache AllowCONNECT, squid SSL_ports)",
            _ => $"Proxy {proxy} answered {(int)status} {reason} to CONNECT {authority}",
        };
    }

    private static async Task<ProxyConnection> OpenAsync(ProxyEndpoint proxy, string authority, ProxyTunnelOptions options, SetupStage stage, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            stage.Current = SetupStage.Tcp;
            try
            {
                await socket.ConnectAsync(proxy.Host, proxy.Port, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new ProxyTunnelException(ProxyReachability.Describe(e, proxy, null) ?? $"Cannot connect to proxy {proxy}: {e.Message}", null, e);
            }

            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (proxy.Scheme != "https")
            {
                return new ProxyConnection(stream, proxy.Address, authority, options.MaxResponseHeaderBytes);
            }

            stage.Current = SetupStage.Tls;
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
            catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
            {
                await tls.DisposeAsync().ConfigureAwait(false);
                throw new ProxyTunnelException($"TLS to proxy {proxy} failed: {failure ?? e.Message}", null, e);
            }
            catch
            {
                await tls.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            return new ProxyConnection(tls, proxy.Address, authority, options.MaxResponseHeaderBytes);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
