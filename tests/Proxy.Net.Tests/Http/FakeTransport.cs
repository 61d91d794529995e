using System.Collections.Concurrent;

namespace ProxyNet.Tests.Http;

/// <summary>
/// A route's transport that never opens a socket: it records what reached it (method, URL, body, headers as sent)
/// and answers with a function, which may throw to stand for a transport failure.
/// </summary>
internal sealed class FakeTransport(ProxyEndpoint? proxy, bool tunnel, Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
{
    public ProxyEndpoint? Proxy { get; } = proxy;

    public bool Tunnel { get; } = tunnel;

    public ConcurrentQueue<Sent> Requests { get; } = new();

    public bool Disposed { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string? body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Enqueue(new Sent(request.Method, request.RequestUri!, body, request.Headers.ToString(), request.Headers.TransferEncodingChunked));
        return answer(request);
    }

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }

    /// <summary>One request as the transport saw it.</summary>
    internal sealed record Sent(HttpMethod Method, Uri Uri, string? Body, string Headers, bool? Chunked);
}
