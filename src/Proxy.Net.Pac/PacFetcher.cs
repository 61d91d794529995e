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
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = options.FetchTimeout })
        {
            Timeout = options.FetchTimeout,
            MaxResponseContentBufferSize = options.MaxScriptSize,
        };
    }

    /// <summary>The script's text; a <see cref="ProxyConfigurationException"/> naming the URL when it cannot be read.</summary>
    public string Fetch(string pacUrl)
    {
        try
        {
            return Uri.TryCreate(pacUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? FetchHttp(uri, pacUrl)
                : ReadFile(uri is { IsFile: true } ? uri.LocalPath : pacUrl, pacUrl);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException or TaskCanceledException or DecoderFallbackException)
        {
            throw new ProxyConfigurationException($"PAC {Display(pacUrl)}: the script could not be fetched: {e.Message}");
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The URL without user information, for messages.</summary>
    public static string Display(string pacUrl) =>
        Uri.TryCreate(pacUrl, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? pacUrl.Replace(uri.UserInfo + "@", "***@", StringComparison.Ordinal)
            : pacUrl;

    private string FetchHttp(Uri uri, string pacUrl)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        using var response = _http.Send(request, HttpCompletionOption.ResponseHeadersRead);
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
