using System.Net.Security;
using System.Text;

namespace ProxyNet.Pac;

/// <summary>
/// Reads a script from a file path, <c>file://</c> or <c>http(s)://</c>. HTTP goes DIRECT, never through a proxy:
/// the script is what names the proxies. Larger than <see cref="PacOptions.MaxScriptSize"/> is refused. One deadline,
/// <see cref="PacOptions.FetchTimeout"/>, covers the whole fetch (connect, headers and body): a server that sends its
/// headers and then stalls is given up at the deadline like one that never answers.
/// </summary>
internal sealed class PacFetcher : IDisposable
{
    private readonly PacOptions _options;
    private readonly HttpClient _http;

    public PacFetcher(PacOptions options)
    {
        _options = options;
        _http = Client(options, null);
    }

    /// <summary>The script's text; a <see cref="ProxyConfigurationException"/> naming the URL when it cannot be read in time.</summary>
    public Task<string> FetchAsync(string pacUrl) => FetchAsync(pacUrl, null);

    /// <summary>As <see cref="FetchAsync(string)"/>; an https:// script is checked with <paramref name="originValidation"/> when given.</summary>
    public async Task<string> FetchAsync(string pacUrl, RemoteCertificateValidationCallback? originValidation)
    {
        using var deadline = new CancellationTokenSource(_options.FetchTimeout);
        try
        {
            if (!Uri.TryCreate(pacUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                return await ReadFileAsync(uri is { IsFile: true } ? uri.LocalPath : pacUrl, pacUrl, deadline.Token).ConfigureAwait(false);
            }

            if (originValidation is null || uri.Scheme != "https")
            {
                return await FetchHttpAsync(_http, uri, pacUrl, deadline.Token).ConfigureAwait(false);
            }

            // The configuration's origin trust (never the proxy's): a client for this fetch, which is rare.
            using var trusted = Client(_options, originValidation);
            return await FetchHttpAsync(trusted, uri, pacUrl, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new ProxyConfigurationException($"PAC {Display(pacUrl)}: the script could not be fetched: no complete answer within {Seconds(_options.FetchTimeout)} (PacOptions.FetchTimeout)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException or TaskCanceledException or DecoderFallbackException)
        {
            throw new ProxyConfigurationException($"PAC {Display(pacUrl)}: the script could not be fetched: {PeerText.Escape(Describe(e))}");
        }
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds >= 1 ? $"{span.TotalSeconds:0.###} s" : $"{span.TotalMilliseconds:0} ms";

    /// <summary>The exception's message and, for a failed TLS handshake, the innermost reason (the certificate problem in words).</summary>
    private static string Describe(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return ReferenceEquals(inner, e) || e.Message.Contains(inner.Message, StringComparison.Ordinal) ? e.Message : $"{e.Message} {inner.Message}";
    }

    private static HttpClient Client(PacOptions options, RemoteCertificateValidationCallback? originValidation)
    {
        var handler = new SocketsHttpHandler { UseProxy = false, ConnectTimeout = options.FetchTimeout, AllowAutoRedirect = false };
        if (originValidation is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = originValidation;
        }

        // The deadline is the fetch's token; the client's own timeout stays out of the way.
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan, MaxResponseContentBufferSize = options.MaxScriptSize };
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The URL without user information, for messages.</summary>
    public static string Display(string pacUrl) =>
        Uri.TryCreate(pacUrl, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? pacUrl.Replace(uri.UserInfo + "@", "***@", StringComparison.Ordinal)
            : pacUrl;

    private async Task<string> FetchHttpAsync(HttpClient http, Uri uri, string pacUrl, CancellationToken token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new ProxyConfigurationException($"PAC {Display(pacUrl)}: the script could not be fetched: HTTP {(int)response.StatusCode} {PeerText.Escape(response.ReasonPhrase ?? string.Empty)}");
        }

        if (response.Content.Headers.ContentLength > _options.MaxScriptSize)
        {
            throw TooLarge(pacUrl);
        }

        using var body = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
        return await ReadAsync(body, pacUrl, token).ConfigureAwait(false);
    }

    private async Task<string> ReadFileAsync(string path, string pacUrl, CancellationToken token)
    {
        // A FIFO or a device named as the script must not hold the fetch: asynchronous reads honour the deadline.
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, useAsync: true);
        return await ReadAsync(file, pacUrl, token).ConfigureAwait(false);
    }

    private async Task<string> ReadAsync(Stream stream, string pacUrl, CancellationToken token)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, token).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > _options.MaxScriptSize)
            {
                throw TooLarge(pacUrl);
            }
        }

        return new UTF8Encoding(false, true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private ProxyConfigurationException TooLarge(string pacUrl) =>
        new($"PAC {Display(pacUrl)}: the script is larger than the size limit ({_options.MaxScriptSize} bytes)");
}
