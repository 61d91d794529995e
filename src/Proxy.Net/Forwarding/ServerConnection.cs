using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using ProxyNet.Diagnostics;
using ProxyNet.Http;
using ProxyNet.Tunnel;

namespace ProxyNet.Forwarding;

/// <summary>
/// One client connection to <see cref="ProxyServer"/>: requests one after another (keep-alive), each checked for the
/// token, then forwarded (absolute form), tunnelled (CONNECT) or answered here (<c>GET /proxy.pac</c>). Failures
/// upstream are a 502, 504 or 403 whose body is one line saying why; the client's <c>Proxy-Authorization</c> never
/// goes further.
/// </summary>
internal sealed class ServerConnection(ProxyServer server, Socket socket, CancellationToken stopping)
{
    private readonly ProxyServerOptions _options = server.Options;

    public async Task RunAsync()
    {
        socket.NoDelay = true;
        using var stream = new NetworkStream(socket, ownsSocket: true);
        using var connection = new ClientConnection(stream, _options.MaxRequestHeadBytes);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                RequestHead? head;
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stopping))
                {
                    wait.CancelAfter(_options.ClientIdleTimeout);
                    try
                    {
                        head = await connection.ReadHeadAsync(wait.Token).ConfigureAwait(false);
                    }
                    catch (InvalidDataException e)
                    {
                        await ErrorAsync(stream, e.Message.Contains("larger", StringComparison.Ordinal) ? 431 : 400, e.Message).ConfigureAwait(false);
                        return;
                    }
                    catch (FormatException e)
                    {
                        await ErrorAsync(stream, 400, e.Message).ConfigureAwait(false);
                        return;
                    }
                }

                if (head is null || !await ServeAsync(head, connection).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidDataException)
        {
            // The client went away, stalled past its idle time, or the server is stopping.
        }
        catch (Exception e)
        {
            // Anything else is a bug here, not the client's: said once, and only this connection ends.
            Log.ServeConnectionFailed(server.Logger, e.GetType().Name, PeerText.Escape(e.Message));
        }
    }

    /// <summary>Answers one request; false when the connection must close after it.</summary>
    private async Task<bool> ServeAsync(RequestHead head, ClientConnection connection)
    {
        server.CountRequest();
        if (head.Target.StartsWith('/'))
        {
            // Origin form: a request to serve itself (the browsers' PAC script), which holds no secret: no token asked.
            return await LocalAsync(head, connection.Stream).ConfigureAwait(false);
        }

        if (!Authorized(head))
        {
            await WriteAsync(connection.Stream, 407, "Proxy Authentication Required", "proxynet: send the token as the password of a Basic proxy login (http://proxynet:TOKEN@host:port)", "Proxy-Authenticate: Basic realm=\"proxynet\"\r\n", keepAlive: head.Headers.All(h => !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && !h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))).ConfigureAwait(false);
            return head.Method == "CONNECT" || head["Content-Length"] is null && head["Transfer-Encoding"] is null;
        }

        if (head["Via"] is { } via && via.Contains(server.ViaName, StringComparison.Ordinal))
        {
            await ErrorAsync(connection.Stream, 508, "this request already went through this proxynet serve (a loop: does its upstream point back at it?)").ConfigureAwait(false);
            return false;
        }

        if (head.Method == "CONNECT")
        {
            await TunnelAsync(head, connection).ConfigureAwait(false);
            return false;
        }

        if (!Uri.TryCreate(head.Target, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.UserInfo.Length > 0)
        {
            await ErrorAsync(connection.Stream, 400, "the request target is not an absolute http:// or https:// URL without user information").ConfigureAwait(false);
            return false;
        }

        return await ForwardAsync(head, uri, connection).ConfigureAwait(false);
    }

    private async Task<bool> ForwardAsync(RequestHead head, Uri uri, ClientConnection connection)
    {
        using var request = HttpForwarder.Request(head, uri, connection, server.ViaName, out var body, out string? problem);
        if (request is null)
        {
            await ErrorAsync(connection.Stream, 400, problem!).ConfigureAwait(false);
            return false;
        }

        HttpResponseMessage response;
        try
        {
            response = await server.Invoker.SendAsync(request, stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            var (status, reason) = Failure(e, $"{uri.Scheme}://{uri.Authority}");
            await ErrorAsync(connection.Stream, status, reason).ConfigureAwait(false);
            return false;
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.ProxyAuthenticationRequired)
            {
                // The upstream proxy refused our login: the client's own 407 would ask it for serve's token instead.
                await ErrorAsync(connection.Stream, 502, $"the upstream proxy refused the login for {uri.Scheme}://{uri.Authority} (407)").ConfigureAwait(false);
                return false;
            }

            bool keepAlive = await HttpForwarder.RespondAsync(response, head, connection.Stream, server.ViaName, stopping).ConfigureAwait(false);
            return keepAlive && (body is null || body.Finished);
        }
    }

    private async Task TunnelAsync(RequestHead head, ClientConnection connection)
    {
        if (!TryAuthority(head.Target, out string host, out int port))
        {
            await ErrorAsync(connection.Stream, 400, "CONNECT needs host:port").ConfigureAwait(false);
            return;
        }

        Stream upstream;
        using (var setup = CancellationTokenSource.CreateLinkedTokenSource(stopping))
        {
            setup.CancelAfter(_options.SetupTimeout);
            try
            {
                (upstream, _) = await server.Connector.ConnectAsync(host, port, setup.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
                await ErrorAsync(connection.Stream, 504, $"no tunnel to {RouteConnector.Authority(host, port)} within {_options.SetupTimeout.TotalSeconds:0.###} s").ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var (status, reason) = Failure(e, RouteConnector.Authority(host, port));
                await ErrorAsync(connection.Stream, status, reason).ConfigureAwait(false);
                return;
            }
        }

        await using (upstream.ConfigureAwait(false))
        {
            server.CountTunnel(+1);
            try
            {
                await connection.Stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 Connection established\r\nVia: 1.1 {server.ViaName}\r\n\r\n"), stopping).ConfigureAwait(false);
                var early = connection.TakeBuffered();
                if (!early.IsEmpty)
                {
                    await upstream.WriteAsync(early, stopping).ConfigureAwait(false);
                }

                await Relay.RunAsync(connection.Stream, upstream, _options.TunnelIdleTimeout, stopping).ConfigureAwait(false);
            }
            finally
            {
                server.CountTunnel(-1);
            }
        }
    }

    /// <summary><c>GET /proxy.pac</c>: a script for browsers (DIRECT for the bypass list, else this proxy); anything else is 404.</summary>
    private async Task<bool> LocalAsync(RequestHead head, Stream stream)
    {
        if (head.Method is not ("GET" or "HEAD") || head.Target.Split('?')[0] != "/proxy.pac")
        {
            await ErrorAsync(stream, 404, "proxynet serve answers GET /proxy.pac; as a proxy it takes absolute URLs and CONNECT").ConfigureAwait(false);
            return false;
        }

        byte[] script = Encoding.UTF8.GetBytes(server.PacScript(head["Host"]));
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/x-ns-proxy-autoconfig\r\nContent-Length: {script.Length}\r\nCache-Control: no-cache\r\n\r\n"), stopping).ConfigureAwait(false);
        if (head.Method == "GET")
        {
            await stream.WriteAsync(script, stopping).ConfigureAwait(false);
        }

        return true;
    }

    private bool Authorized(RequestHead head)
    {
        if (_options.Token is not { } token)
        {
            return true;
        }

        string? value = head["Proxy-Authorization"];
        if (value is null || !value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            string decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value[6..].Trim()));
            int colon = decoded.IndexOf(':');
            return colon >= 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(decoded[(colon + 1)..]), Encoding.UTF8.GetBytes(token));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The status and one-line reason for a failure upstream, in words that name what failed.</summary>
    private (int Status, string Reason) Failure(Exception e, string target)
    {
        string reason = PeerText.Escape(e.Message);
        Log.ServeUpstreamFailed(server.Logger, target, reason);
        return e switch
        {
            ProxyEgressRefusedException => (403, reason),
            ProxyConfigurationException => (502, $"configuration error: {reason}"),
            _ when ProxyFailures.RefusalStatus(e) is HttpStatusCode.Forbidden => (403, reason),
            _ when ProxyFailures.Find<TimeoutException>(e) is not null || e is TaskCanceledException => (504, reason),
            _ => (502, reason),
        };
    }

    internal static bool TryAuthority(string target, out string host, out int port)
    {
        host = string.Empty;
        port = 0;
        int colon = target.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(target.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            return false;
        }

        host = target[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        return Destination.IsHost(host);
    }

    private Task ErrorAsync(Stream stream, int status, string reason) =>
        WriteAsync(stream, status, status switch
        {
            400 => "Bad Request",
            403 => "Forbidden",
            404 => "Not Found",
            431 => "Request Header Fields Too Large",
            502 => "Bad Gateway",
            504 => "Gateway Timeout",
            508 => "Loop Detected",
            _ => "Error",
        }, reason, string.Empty, keepAlive: false);

    private async Task WriteAsync(Stream stream, int status, string phrase, string reason, string extraHeaders, bool keepAlive)
    {
        byte[] body = Encoding.UTF8.GetBytes(PeerText.Escape(reason) + "\n");
        string head = $"HTTP/1.1 {status} {phrase}\r\n{extraHeaders}Content-Type: text/plain; charset=utf-8\r\nContent-Length: {body.Length}\r\nVia: 1.1 {server.ViaName}\r\nConnection: {(keepAlive ? "keep-alive" : "close")}\r\n\r\n";
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), stopping).ConfigureAwait(false);
            await stream.WriteAsync(body, stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The client is gone: nobody to tell.
        }
    }
}
