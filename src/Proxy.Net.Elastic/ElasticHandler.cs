using System.IO.Compression;
using System.Net.Http.Headers;

namespace ProxyNet.Elastic;

/// <summary>
/// A named client's handler chain as Elastic.Transport's invoker holds it: disposing it (when the invoker rotates its
/// handlers) leaves the chain to the <see cref="IHttpMessageHandlerFactory"/>; the synchronous API
/// (<c>client.Get(...)</c> rather than <c>GetAsync</c>) blocks on the asynchronous send, which is all a Proxy.Net chain
/// has; and with <c>EnableHttpCompression</c> (the client's default) it asks for gzip responses and decompresses
/// them, as the handler Elastic would have built does (<c>AutomaticDecompression</c>).
/// </summary>
internal sealed class ElasticHandler(HttpMessageHandler chain, bool decompress) : HttpMessageHandler
{
    private static readonly StringWithQualityHeaderValue Gzip = new("gzip");

    // disposeHandler: false, so disposing this handler (and the invoker) never disposes the factory's chain.
    private readonly HttpMessageInvoker _chain = new(chain, disposeHandler: false);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!decompress)
        {
            return await _chain.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        if (request.Headers.AcceptEncoding.Count == 0)
        {
            request.Headers.AcceptEncoding.Add(Gzip);
        }

        var response = await _chain.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var encoded = response.Content;
        if (encoded.Headers.ContentEncoding.Count == 1 && string.Equals(encoded.Headers.ContentEncoding.First(), "gzip", StringComparison.OrdinalIgnoreCase))
        {
            var decoded = new StreamContent(new GZipStream(await encoded.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), CompressionMode.Decompress));
            foreach (var header in encoded.Headers)
            {
                if (header.Key is not ("Content-Encoding" or "Content-Length"))
                {
                    decoded.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }

            response.Content = decoded;
        }

        return response;
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        SendAsync(request, cancellationToken).GetAwaiter().GetResult();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _chain.Dispose();
        }

        base.Dispose(disposing);
    }
}
