using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using ProxyNet.Http;
using ProxyNet.Resolution;
using ProxyNet.Tls;

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

    private static readonly HashSet<string> Flags = ["-v", "--verbose", "--insecure"];
    private static readonly HashSet<string> Valued = ["-o", "--output", "--proxy", "--no-proxy", "--ca-file", "--proxy-ca-file", "--timeout", "--config"];

    public static async Task<int> RunAsync(string[] args, TextWriter stderr, bool put = false)
    {
        var parsed = CliArguments.Parse(args, Flags, Valued);
        string? upload = put && parsed.Operands.Count == 2 ? parsed.Operands[0] : null;
        string target = parsed.Operands.Count > 0 ? parsed.Operands[^1] : string.Empty;
        if (parsed.Operands.Count != (put ? 2 : 1) || !Uri.TryCreate(target, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https" or "ftp"))
        {
            throw new UsageException(put ? "put needs a FILE and one ftp://, http:// or https:// URL" : "get needs one http://, https:// or ftp:// URL");
        }

        if (upload is not null && !File.Exists(upload))
        {
            throw new UsageException($"put: no such file '{upload}'");
        }

        bool verbose = parsed.Has("-v") || parsed.Has("--verbose");
        string? output = parsed.Value("-o") ?? parsed.Value("--output");
        double seconds = 100;
        if (parsed.Value("--timeout") is { } timeoutText && (!double.TryParse(timeoutText, System.Globalization.CultureInfo.InvariantCulture, out seconds) || seconds <= 0))
        {
            throw new UsageException($"--timeout needs a positive number of seconds, not '{timeoutText}'");
        }

        var options = CliConfiguration.CreateOptions(parsed.Value("--config"), o =>
        {
            if (parsed.Value("--proxy") is { } proxy)
            {
                o.HttpProxy = o.HttpsProxy = o.FtpProxy = proxy;
            }

            if (parsed.Value("--no-proxy") is { } noProxy)
            {
                o.ExcludedDomains = [noProxy];
            }
        });
        var resolver = ProxyResolver.Create(options);
        var secrets = Secrets(resolver, options, url);
        foreach (string warning in resolver.Warnings)
        {
            stderr.WriteLine($"proxynet: warning: {warning}");
        }

        var decision = resolver.Resolve(url);
        if (decision.IsError)
        {
            stderr.WriteLine($"proxynet: configuration error: {decision.Error}");
            return 1;
        }

        if (verbose)
        {
            stderr.WriteLine($"* route: {decision}");
        }

        var transport = new TransportSettings
        {
            OriginRoots = parsed.Value("--ca-file") is { } caFile ? TrustMaterial.Load(caFile, "--ca-file") : null,
            ProxyRoots = parsed.Value("--proxy-ca-file") is { } proxyCaFile ? TrustMaterial.Load(proxyCaFile, "--proxy-ca-file") : null,
            DangerousAcceptAnyOriginCertificate = parsed.Has("--insecure"),
        };
        if (transport.DangerousAcceptAnyOriginCertificate)
        {
            stderr.WriteLine("proxynet: warning: --insecure: server certificates are not checked");
        }

        using var client = new HttpClient(ProxyNetHandler.Create(resolver, null, null, transport)) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        string? partial = output is null || upload is not null ? null : output + ".part";
        try
        {
            if (upload is not null)
            {
                await using var file = File.OpenRead(upload);
                using var content = new StreamContent(file, 1 << 16);
                using var stored = await client.PutAsync(url, content, deadline.Token);
                if (verbose)
                {
                    stderr.WriteLine($"* {(int)stored.StatusCode} {Mask(stored.ReasonPhrase, secrets)}");
                }

                if (!stored.IsSuccessStatusCode)
                {
                    stderr.WriteLine($"proxynet: {Redaction.Url(url)}: {(int)stored.StatusCode} {Mask(stored.ReasonPhrase, secrets)}");
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
                stderr.WriteLine($"* HTTP {(int)response.StatusCode} {Mask(response.ReasonPhrase, secrets)}");
            }

            if (!response.IsSuccessStatusCode)
            {
                stderr.WriteLine($"proxynet: {Redaction.Url(url)}: HTTP {(int)response.StatusCode} {Mask(response.ReasonPhrase, secrets)}");
                return HttpError;
            }

            await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
            long? length = response.Content.Headers.ContentLength;
            long written;
            if (partial is null)
            {
                await using var stdout = Console.OpenStandardOutput();
                written = await CopyAsync(body, stdout, length, stderr, deadline.Token);
            }
            else
            {
                // Synchronous, unbuffered writes of large blocks: the page cache takes them at once, and a thread-pool
                // hop per block (what async file I/O costs on Linux) would slow a fast download. A fresh file, not a
                // truncated one: FileMode.Create truncates with ftruncate(0), after which ext4 (auto_da_alloc) flushes
                // the whole file when it is closed (measured: 40 ms for 100 MB).
                File.Delete(partial);
                await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, useAsync: false))
                {
                    written = await CopyAsync(body, file, length, stderr, deadline.Token);
                }

                File.Move(partial, output!, overwrite: true);
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
                File.Delete(partial);
            }

            bool timedOut = deadline.IsCancellationRequested;
            string reason = Mask(timedOut ? $"timed out after {seconds:0.###} s" : Describe(e), secrets);
            stderr.WriteLine($"proxynet: {Redaction.Url(url)}: {reason}");
            return e is ProxyConfigurationException ? 1 : timedOut ? Timeout : ConnectionError;
        }
    }

    /// <summary>Text from a server or an exception with every known password masked: a hostile server may echo one.</summary>
    private static string Mask(string? text, List<string> secrets)
    {
        text ??= string.Empty;
        foreach (string secret in secrets)
        {
            text = text.Replace(secret, Redaction.Mask, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>One line: the outer message and the causes that add something, innermost last.</summary>
    private static string Describe(Exception e)
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

    private static List<string> Secrets(ProxyResolver resolver, ProxyNetOptions options, Uri url)
    {
        var secrets = resolver.Settings.ProxyDecisions
            .Select(d => d.Proxy?.Credentials?.Password)
            .Append(options.Password)
            .Append(url.UserInfo.Contains(':', StringComparison.Ordinal) ? Uri.UnescapeDataString(url.UserInfo[(url.UserInfo.IndexOf(':', StringComparison.Ordinal) + 1)..]) : null)
            .OfType<string>()
            .Where(p => p.Length > 0)
            .Distinct()
            .ToList();
        secrets.AddRange(secrets.Select(Uri.EscapeDataString).Where(e => !secrets.Contains(e)).ToList());
        return secrets;
    }
}
