using System.Net.WebSockets;
using ProxyNet.Http;
using ProxyNet.Resolution;

namespace ProxyNet.WebSockets;

/// <summary>
/// <see cref="ClientWebSocket"/> through Proxy.Net: <c>ws://</c> resolves like <c>http://</c> and <c>wss://</c> like
/// <c>https://</c>, with the same NO_PROXY, credentials, trust and logging as every <see cref="HttpClient"/>.
/// Through an HTTP proxy the connection is a CONNECT tunnel, so it lives as long as the WebSocket does.
/// </summary>
/// <example>
/// <code>
/// using var socket = new ClientWebSocket();
/// socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
/// await socket.ConnectThroughProxyAsync(new Uri("wss://stream.example/"), handlerFactory.CreateHandler("stream"));
/// </code>
/// </example>
public static class ProxyNetWebSocketExtensions
{
    /// <summary>Connects through a handler pipeline built by Proxy.Net (from <c>IHttpMessageHandlerFactory.CreateHandler(name)</c> or <see cref="ProxyNetHandler.Create(ProxyResolver?, ProxyClientOptions?, Microsoft.Extensions.Logging.ILogger?)"/>).</summary>
    public static Task ConnectThroughProxyAsync(this ClientWebSocket socket, Uri uri, HttpMessageHandler handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(handler);
        // The invoker does not own the handler: factory handlers are shared and rotated by the factory.
        return socket.ConnectAsync(uri, new HttpMessageInvoker(handler, disposeHandler: false), cancellationToken);
    }

    /// <summary>
    /// Connects with the global settings of the process environment (HTTP_PROXY, HTTPS_PROXY, NO_PROXY, …). For other
    /// settings, pass a handler from <see cref="ProxyNetHandler.Create(ProxyResolver?, ProxyClientOptions?, Microsoft.Extensions.Logging.ILogger?)"/>.
    /// </summary>
    public static async Task ConnectThroughProxyAsync(this ClientWebSocket socket, Uri uri, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(socket);
        // The pipeline owns its connection pool; the WebSocket keeps its connection after the invoker is gone.
        var handler = ProxyNetHandler.Create(ProxyResolver.FromEnvironment());
        await socket.ConnectAsync(uri, new HttpMessageInvoker(handler, disposeHandler: false), cancellationToken).ConfigureAwait(false);
    }
}
