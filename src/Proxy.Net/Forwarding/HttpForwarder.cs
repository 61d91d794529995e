using System.Buffers;
using System.Net;
using System.Text;

namespace ProxyNet.Forwarding;

/// <summary>
/// Forwards one absolute-form request (<c>GET http://host/path HTTP/1.1</c>) through the library's handler and writes
/// its answer back: hop-by-hop headers (and <c>Proxy-*</c>) removed both ways, a <c>Via</c> added, bodies streamed
/// both ways (a known length as it is, anything else chunked to an HTTP/1.1 client or closed-delimited to 1.0).
/// </summary>
internal static class HttpForwarder
{
    private static readonly System.Collections.Frozen.FrozenSet<string> HopByHop = System.Collections.Frozen.FrozenSet.ToFrozenSet(
        ["Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host"],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>The request as the handler takes it; null with <paramref name="problem"/> set when it cannot be forwarded.</summary>
    public static HttpRequestMessage? Request(RequestHead head, Uri uri, ClientConnection connection, string via, out ReadOnlyBody? body, out string? problem)
    {
        body = null;
        problem = null;
        var request = new HttpRequestMessage(new HttpMethod(head.Method), uri) { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
        var named = Named(head);
        string? length = null;
        bool chunked = false;
        foreach (var (name, value) in head.Headers)
        {
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (length is not null && length != value)
                {
                    problem = "two different Content-Length headers";
                    return null;
                }

                length = value;
                continue;
            }

            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                chunked = value.Split(',', StringSplitOptions.TrimEntries)[^1].Equals("chunked", StringComparison.OrdinalIgnoreCase);
                if (!chunked)
                {
                    problem = $"Transfer-Encoding '{value}' is not chunked";
                    return null;
                }
            }

            if (HopByHop.Contains(name) || named.Contains(name) || name.Equals("Via", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (chunked && length is not null)
        {
            problem = "both Content-Length and Transfer-Encoding";
            return null;
        }

        long contentLength = 0;
        if (length is not null && !long.TryParse(length, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out contentLength))
        {
            problem = $"Content-Length '{length}' is not a number";
            return null;
        }

        request.Headers.TryAddWithoutValidation("Via", Via(head, via));
        if (chunked || contentLength > 0)
        {
            body = chunked ? new ChunkedBody(connection) : new ContentLengthBody(connection, contentLength);
            var content = new StreamContent(body, 64 * 1024);
            if (!chunked)
            {
                content.Headers.ContentLength = contentLength;
            }

            foreach (var (name, value) in head.Headers)
            {
                if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) && !name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && !named.Contains(name))
                {
                    content.Headers.TryAddWithoutValidation(name, value);
                }
            }

            request.Content = content;
        }

        return request;
    }

    /// <summary>Writes the answer's head and streams its body; returns false when the connection cannot carry another request.</summary>
    public static async Task<bool> RespondAsync(HttpResponseMessage response, RequestHead head, Stream client, string via, CancellationToken cancellationToken)
    {
        bool bodyless = head.Method == "HEAD" || (int)response.StatusCode is (>= 100 and < 200) or 204 or 304;
        long? length = response.Content.Headers.ContentLength;
        bool keepAlive = head.Minor == 1 ? !head.Has("Connection", "close") : head.Has("Connection", "keep-alive");
        bool chunked = !bodyless && length is null && head.Minor == 1;
        if (!bodyless && length is null && !chunked)
        {
            keepAlive = false;
        }

        var text = new StringBuilder(512);
        text.Append("HTTP/1.1 ").Append((int)response.StatusCode).Append(' ').Append(Clean(response.ReasonPhrase ?? response.StatusCode.ToString())).Append("\r\n");
        var named = new HashSet<string>(response.Headers.Connection, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated))
        {
            if (HopByHop.Contains(name) || named.Contains(name) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Via", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (string value in values)
            {
                text.Append(name).Append(": ").Append(Clean(value)).Append("\r\n");
            }
        }

        string upstreamVia = response.Headers.NonValidated.TryGetValues("Via", out var vias) ? string.Join(", ", vias) + ", " : string.Empty;
        text.Append("Via: ").Append(Clean(upstreamVia)).Append("1.1 ").Append(via).Append("\r\n");
        if (length is not null && (!bodyless || head.Method == "HEAD"))
        {
            text.Append("Content-Length: ").Append(length).Append("\r\n");
        }
        else if (chunked)
        {
            text.Append("Transfer-Encoding: chunked\r\n");
        }

        text.Append(keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n");
        await client.WriteAsync(Encoding.Latin1.GetBytes(text.ToString()), cancellationToken).ConfigureAwait(false);
        if (!bodyless)
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await CopyAsync(body, client, chunked, cancellationToken).ConfigureAwait(false);
        }

        return keepAlive;
    }

    private static async Task CopyAsync(Stream from, Stream to, bool chunked, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer.AsMemory(16, buffer.Length - 18), cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (!chunked)
                {
                    await to.WriteAsync(buffer.AsMemory(16, read), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                // The chunk's size line goes in front of the data in the same buffer: one write per chunk.
                string size = $"{read:x}\r\n";
                int start = 16 - size.Length;
                Encoding.ASCII.GetBytes(size, buffer.AsSpan(start));
                buffer[16 + read] = (byte)'\r';
                buffer[17 + read] = (byte)'\n';
                await to.WriteAsync(buffer.AsMemory(start, size.Length + read + 2), cancellationToken).ConfigureAwait(false);
            }

            if (chunked)
            {
                await to.WriteAsync("0\r\n\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The headers a <c>Connection</c> header names: hop-by-hop as well.</summary>
    private static HashSet<string> Named(RequestHead head) => new(
        head.Headers.Where(h => h.Key.Equals("Connection", StringComparison.OrdinalIgnoreCase) || h.Key.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)),
        StringComparer.OrdinalIgnoreCase);

    private static string Via(RequestHead head, string via)
    {
        string? before = head["Via"];
        return before is null ? $"1.{head.Minor} {via}" : $"{before}, 1.{head.Minor} {via}";
    }

    /// <summary>A header value or reason phrase from upstream with CR, LF and NUL removed: they cannot end a line we write.</summary>
    private static string Clean(string value) => value.AsSpan().IndexOfAny("\r\n\0") < 0 ? value : value.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal).Replace("\0", string.Empty, StringComparison.Ordinal);
}
