using System.Net.Security;
using System.Text;

namespace ProxyNet.Pac;

/// <summary>
/// Reads a script from a file path, <c>file://</c> or <c>http(s)://</c>. HTTP goes DIRECT, never through a proxy:
/// the script is what names the proxies. Larger than <see cref="PacOptions.MaxScriptSize"/> is refused.
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

    /// <summary>The script's text; a <see cref="ProxyConfigurationException"/> naming the URL when it cannot be read.</summary>
    public string Fetch(string pacUrl) => Fetch(pacUrl, null);

    /// <summary>As <see cref="Fetch(string)"/>; an https:// script is checked with <paramref name="originValidation"/> when given.</summary>
    public string Fetch(string pacUrl, RemoteCertificateValidationCallback? originValidation)
    {
        try
        {
            if (!Uri.TryCreate(pacUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                return ReadFile(uri is { IsFile: true } ? uri.LocalPath : pacUrl, pacUrl);
            }

            if (originValidation is null || uri.Scheme != "https")
            {
                return FetchHttp(_http, uri, pacUrl);
            }

            // The configuration's origin trust (never the proxy's): a client for this fetch, which is rare.
            using var trusted = Client(_options, originValidation);
            return FetchHttp(trusted, uri, pacUrl);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException or TaskCanceledException or DecoderFallbackException)
        {
            throw new ProxyConfigurationException($"PAC {Display(pacUrl)}: the script could not be fetched: {Describe(e)}");
        }
    }

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
        var handler = new SocketsHttpHandler { UseProxy = false, ConnectTimeout = options.FetchTimeout };
        if (originValidation is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = originValidation;
        }

        return new HttpClient(handler) { Timeout = options.FetchTimeout, MaxResponseContentBufferSize = options.MaxScriptSize };
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The URL without user information, for messages.</summary>
    public static string Display(string pacUrl) =>
        Uri.TryCreate(pacUrl, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? pacUrl.Replace(uri.UserInfo + "@", "***@", StringComparison.Ordinal)
            : pacUrl;

    private string FetchHttp(HttpClient http, Uri uri, string pacUrl)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        using var response = http.Send(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            throw new ProxyConfigurationException($"PAC {Display(pacUrl)}: the script could not be fetched: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        if (response.Content.Headers.ContentLength > _options.MaxScriptSize)
        {
            throw TooLarge(pacUrl);
        }

        using var body = response.Content.ReadAsStream();
        return Read(body, pacUrl);
    }

    private string ReadFile(string path, string pacUrl)
    {
        using var file = File.OpenRead(path);
        return Read(file, pacUrl);
    }

    private string Read(Stream stream, string pacUrl)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = stream.Read(chunk)) > 0)
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
