using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using ProxyNet.Http;
using ProxyNet.Configuration;
using ProxyNet.Resolution;

namespace ProxyNet.Cli;

/// <summary>
/// <c>proxynet get URL [-o FILE] [--proxy URL] [--no-proxy LIST] [--ca-file PATH] [--insecure] [--timeout S] [-v]</c>
/// and <c>proxynet put FILE URL [...]</c>: transfers through the same resolution as the library, streams to or from
/// the file, and fails with one line.
/// </summary>
internal static class TransferCommand
{
    public const int HttpError = 3;
    public const int ConnectionError = 4;
    public const int Timeout = 5;

    public static async Task<int> RunAsync(TransferRequest request, TextWriter stderr)
    {
        string? upload = request.Upload;
        bool put = upload is not null;
        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https" or "ftp"))
        {
            throw new UsageException(put ? "put needs a FILE and one ftp://, http:// or https:// URL" : "get needs one http://, https:// or ftp:// URL");
        }

        if (upload is not null && !File.Exists(upload))
        {
            throw new UsageException($"put: no such file '{upload}'");
        }

        bool verbose = request.Verbose;
        string? output = request.Output;
        double seconds = 100;
        if (request.Timeout is { } timeoutText && (!double.TryParse(timeoutText, System.Globalization.CultureInfo.InvariantCulture, out seconds) || seconds <= 0))
        {
            throw new UsageException($"--timeout needs a positive number of seconds, not '{timeoutText}'");
        }

        var configuration = CliConfiguration.Load(request.Flags);
        var resolver = configuration.Resolver;
        var decision = resolver.Resolve(url);
        var secrets = new Secrets(configuration.Options, url, [decision.Proxy]);
        foreach (string warning in resolver.Warnings)
        {
            stderr.WriteLine($"proxynet: warning: {Terminal.Safe(warning)}");
        }

        if (decision.IsError)
        {
            stderr.WriteLine($"proxynet: configuration error: {Mask(decision.Error, secrets)}");
            return 1;
        }

        foreach (string danger in configuration.Dangers)
        {
            stderr.WriteLine($"proxynet: warning: {Terminal.Safe(danger)}");
        }

        if (verbose)
        {
            // A PAC decision's reason quotes the script's answer: text from a peer.
            stderr.WriteLine($"* route: {Mask(decision.ToString(), secrets)}");
        }

        using var client = new HttpClient(ProxyNetHandler.Create(resolver)) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        string? partial = null;
        try
        {
            if (upload is not null)
            {
                await using var file = File.OpenRead(upload);
                using var content = new StreamContent(file, 1 << 16);
                using var stored = await client.PutAsync(url, content, deadline.Token);
                if (verbose)
                {
                    stderr.WriteLine($"* {(int)stored.StatusCode} {secrets.MaskPeer(stored.ReasonPhrase)}");
                }

                if (!stored.IsSuccessStatusCode)
                {
                    stderr.WriteLine($"proxynet: {UrlRedaction.Url(url)}: {(int)stored.StatusCode} {secrets.MaskPeer(stored.ReasonPhrase)}");
                    return HttpError;
                }

                if (verbose)
                {
                    stderr.WriteLine($"* {file.Length} bytes sent");
                }

                return 0;
            }

            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (verbose)
            {
                stderr.WriteLine($"* HTTP {(int)response.StatusCode} {secrets.MaskPeer(response.ReasonPhrase)}");
            }

            if (!response.IsSuccessStatusCode)
            {
                stderr.WriteLine($"proxynet: {UrlRedaction.Url(url)}: HTTP {(int)response.StatusCode} {secrets.MaskPeer(response.ReasonPhrase)}");
                return HttpError;
            }

            await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
            long? length = response.Content.Headers.ContentLength;
            long written;
            if (output is null)
            {
                await using var stdout = Console.OpenStandardOutput();
                written = await CopyAsync(body, stdout, length, stderr, deadline.Token);
            }
            else
            {
                // Synchronous, unbuffered writes of large blocks: the page cache takes them at once, and a thread-pool
                // hop per block (what async file I/O costs on Linux) would slow a fast download. A fresh file of our own,
                // created only now that the body is coming: nothing the user had (FILE, FILE.part) is truncated or
                // deleted before then, and a FILE.part that is not ours is left alone. (FileMode.Create would truncate
                // with ftruncate(0), after which ext4 with auto_da_alloc flushes the whole file on close: 40 ms per 100 MB.)
                FileStream file;
                (partial, file) = CreatePartial(output);
                await using (file)
                {
                    written = await CopyAsync(body, file, length, stderr, deadline.Token);
                }

                File.Move(partial, output, overwrite: true);
                partial = null;
            }

            if (verbose)
            {
                stderr.WriteLine($"* {written} bytes{(output is null ? string.Empty : $" written to {output}")}");
            }

            return 0;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or ProxyConfigurationException or AuthenticationException)
        {
            if (partial is not null)
            {
                // Ours: created by CreatePartial in this run.
                File.Delete(partial);
            }

            bool timedOut = deadline.IsCancellationRequested;
            string reason = secrets.MaskPeer(timedOut ? TimedOut(decision, seconds) : Describe(e));
            stderr.WriteLine($"proxynet: {UrlRedaction.Url(url)}: {reason}");
            return e is ProxyConfigurationException ? 1 : timedOut ? Timeout : ConnectionError;
        }
    }

    private static string Mask(string? text, Secrets secrets) => Secrets.Mask(text);

    /// <summary><c>FILE.part</c>, or <c>FILE.N.part</c> when the user already has a <c>FILE.part</c>: always a new file.</summary>
    private static (string Path, FileStream Stream) CreatePartial(string output)
    {
        for (int attempt = 0; ; attempt++)
        {
            string path = attempt == 0 ? output + ".part" : $"{output}.{Environment.ProcessId}-{attempt}.part";
            try
            {
                return (path, new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, useAsync: false));
            }
            catch (IOException) when (File.Exists(path) && attempt < 100)
            {
            }
        }
    }

    /// <summary>A timeout in words: which proxy (and the setting that named it) left the request unanswered.</summary>
    private static string TimedOut(ProxyDecision decision, double seconds) => decision.Proxy is { } proxy
        ? $"no answer within {seconds:0.###} s through proxy {proxy.Address} ({decision.Reason}): the proxy, or the site behind it, did not answer (--timeout sets the limit)"
        : $"no answer within {seconds:0.###} s (DIRECT, {decision.Reason}; --timeout sets the limit)";

    /// <summary>
    /// One line: the outer message and the causes that add something, innermost last. A message the library marked as
    /// complete (<c>ProxyNet.Explained</c> in <see cref="Exception.Data"/>) ends the line: the runtime's text under it
    /// would only repeat it in other words.
    /// </summary>
    public static string Describe(Exception e)
    {
        var parts = new List<string>();
        for (var current = e; current is not null; current = current.InnerException)
        {
            string message = current switch
            {
                AuthenticationException tls => $"TLS: {tls.Message}",
                SocketException socket => $"{socket.SocketErrorCode}: {socket.Message}",
                _ => current.Message,
            };
            if (!parts.Any(p => p.Contains(message, StringComparison.Ordinal)))
            {
                parts.Add(message.TrimEnd('.'));
            }

            if (current.Data.Contains("ProxyNet.Explained"))
            {
                break;
            }
        }

        return string.Join(": ", parts).ReplaceLineEndings(" ");
    }

    private static async Task<long> CopyAsync(Stream source, Stream target, long? length, TextWriter stderr, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 18];
        long total = 0;
        bool progress = !Console.IsErrorRedirected && (length is null or > 1 << 20);
        var clock = Stopwatch.StartNew();
        long lastDraw = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (target is FileStream)
            {
                target.Write(buffer, 0, read);
            }
            else
            {
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            total += read;
            if (progress && clock.ElapsedMilliseconds - lastDraw >= 100)
            {
                lastDraw = clock.ElapsedMilliseconds;
                stderr.Write($"\r{Progress(total, length, clock.Elapsed)}");
            }
        }

        if (progress)
        {
            stderr.WriteLine($"\r{Progress(total, length, clock.Elapsed)}");
        }

        return total;
    }

    private static string Progress(long done, long? length, TimeSpan elapsed)
    {
        double rate = done / Math.Max(elapsed.TotalSeconds, 0.001) / (1 << 20);
        if (length is not { } total || total <= 0)
        {
            return $"{done / (double)(1 << 20),8:0.0} MiB  {rate,7:0.0} MiB/s";
        }

        int width = 30;
        int filled = (int)(width * done / total);
        return $"[{new string('#', filled)}{new string('.', width - filled)}] {100.0 * done / total,5:0.0}%  {done / (double)(1 << 20):0.0}/{total / (double)(1 << 20):0.0} MiB  {rate:0.0} MiB/s";
    }
}

/// <summary>One <c>get</c> or <c>put</c> command line.</summary>
internal sealed record TransferRequest(string? Upload, string Url, string? Output, bool Verbose, string? Timeout, CliFlags Flags);
