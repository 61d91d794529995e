using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Text;
using ProxyNet.Http;
using ProxyNet.Configuration;

namespace ProxyNet.Cli;

/// <summary>
/// <c>proxynet get URL [-o FILE] [-x URL] [-U USER:PW] [-H LINE]... [-I] [-L] [-f] [-s] ...</c> and
/// <c>proxynet put FILE URL [...]</c>: transfers through the same resolution as the library, streams to or from the
/// file, and fails with one line. Redirects are followed only with <c>-L</c>, as curl.
/// </summary>
internal static class TransferCommand
{
    public const int HttpError = 3;
    public const int ConnectionError = 4;
    public const int Timeout = 5;

    /// <summary>curl's exit code for an HTTP status of 400 or more under <c>-f</c>, which scripts written for curl test.</summary>
    public const int CurlHttpError = 22;

    public static async Task<int> RunAsync(TransferRequest request, TextWriter stderr)
    {
        var plan = TransferPlan.From(request);
        var url = plan.Url;
        bool put = request.Upload is not null;
        var headers = RequestHeaders.Parse(request.Headers, request.User, url.Scheme == "ftp");
        if (request.Flags.ProxyUser is { } login)
        {
            // Checked before the configuration is built: the one error it can have names no part of the value.
            CliConfiguration.ProxyUser(login);
        }

        bool showErrors = !request.Silent || request.ShowError;
        var configuration = CliConfiguration.Load(request.Flags);
        var resolver = configuration.Resolver;
        var decision = resolver.Resolve(url);
        var secrets = new Secrets(configuration.Options, url, [decision.Proxy], headers.Password);
        if (!request.Silent)
        {
            foreach (string warning in resolver.Warnings)
            {
                stderr.WriteLine($"proxynet: warning: {Terminal.Safe(warning)}");
            }
        }

        if (decision.IsError)
        {
            if (showErrors)
            {
                stderr.WriteLine($"proxynet: configuration error: {Secrets.Mask(decision.Error)}");
            }

            return 1;
        }

        // Even under -s: an accept-any-certificate switch always says so (docs/cli.md, configuration and precedence).
        foreach (string danger in configuration.Dangers)
        {
            stderr.WriteLine($"proxynet: warning: {Terminal.Safe(danger)}");
        }

        bool verbose = request.Verbose;
        if (verbose)
        {
            // A PAC decision's reason quotes the script's answer: text from a peer.
            stderr.WriteLine($"* route: {Secrets.Mask(decision.ToString())}");
        }

        var client = new ProxyClientOptions
        {
            FollowRedirects = request.Location,
            MaxRedirects = plan.MaxRedirects,
            AlwaysTunnel = request.ProxyTunnel,
            FtpCredentials = headers.FtpLogin,
        };
        using var http = new HttpClient(ProxyNetHandler.Create(resolver, client)) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(plan.Seconds));
        var partial = new StrongBox<string?>();
        try
        {
            await using var upload = put ? File.OpenRead(request.Upload!) : null;
            using var message = new HttpRequestMessage(new HttpMethod(plan.Method), url);
            if (upload is not null)
            {
                message.Content = new StreamContent(upload, 1 << 16);
            }

            headers.Apply(message);
            if (verbose)
            {
                stderr.WriteLine($"> {plan.Method} {UrlRedaction.Url(url)}");
                foreach (var (name, value) in headers.Lines)
                {
                    stderr.WriteLine($"> {Secrets.Mask($"{name}: {value}")}");
                }
            }

            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            int status = (int)response.StatusCode;
            if (verbose)
            {
                stderr.WriteLine(put ? $"* {status} {secrets.MaskPeer(response.ReasonPhrase)}" : $"* HTTP {status} {secrets.MaskPeer(response.ReasonPhrase)}");
                foreach (string line in ResponseHead.HeaderLines(response, secrets))
                {
                    stderr.WriteLine($"< {line}");
                }
            }

            if (status >= 400)
            {
                if (showErrors)
                {
                    stderr.WriteLine($"proxynet: {UrlRedaction.Url(url)}: {(put ? string.Empty : "HTTP ")}{status} {secrets.MaskPeer(response.ReasonPhrase)}");
                }

                return request.Fail && url.Scheme is "http" or "https" ? CurlHttpError : HttpError;
            }

            bool printHead = request.Head || request.Include;
            if (status is >= 300 and < 400 && ResponseHead.Location(response, secrets) is { } location)
            {
                if (request.Location)
                {
                    // -L, and the handler stopped: the limit, or a redirect it does not follow (https to http, not http).
                    if (showErrors)
                    {
                        stderr.WriteLine($"proxynet: {UrlRedaction.Url(url)}: HTTP {status} {secrets.MaskPeer(response.ReasonPhrase)}: redirect to {location} not followed (more than --max-redirs {plan.MaxRedirects}, or from https to http or to another scheme, which -L does not follow)");
                    }

                    return HttpError;
                }

                if (!request.Silent)
                {
                    // What curl -i shows of it, then what to do: the body (often empty) is still written, as curl does.
                    if (!printHead)
                    {
                        stderr.WriteLine(ResponseHead.StatusLine(response, secrets));
                        stderr.WriteLine($"Location: {location}");
                    }

                    stderr.WriteLine("proxynet: redirect not followed (curl's default too); add -L to follow it");
                }
            }

            byte[]? head = printHead ? Encoding.UTF8.GetBytes(ResponseHead.Text(response, secrets)) : null;
            if (put)
            {
                if (head is not null)
                {
                    await using var stdout = Console.OpenStandardOutput();
                    await stdout.WriteAsync(head, deadline.Token);
                }

                if (verbose)
                {
                    stderr.WriteLine($"* {upload!.Length} bytes sent");
                }

                return 0;
            }

            await using var body = request.Head ? Stream.Null : await response.Content.ReadAsStreamAsync(deadline.Token);
            long written = await BodyWriter.WriteAsync(body, head, plan.Output, request.Head ? 0 : response.Content.Headers.ContentLength, !request.Silent, stderr, partial, deadline.Token);
            if (verbose)
            {
                stderr.WriteLine($"* {written} bytes{(plan.Output is null ? string.Empty : $" written to {plan.Output}")}");
            }

            return 0;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or ProxyConfigurationException or AuthenticationException)
        {
            if (partial.Value is not null)
            {
                // Ours: created by BodyWriter in this run.
                File.Delete(partial.Value);
            }

            bool timedOut = deadline.IsCancellationRequested;
            if (showErrors)
            {
                string reason = secrets.MaskPeer(timedOut ? TimedOut(decision, plan.Seconds) : Describe(e));
                stderr.WriteLine($"proxynet: {UrlRedaction.Url(url)}: {reason}");
            }

            return e is ProxyConfigurationException ? 1 : timedOut ? Timeout : ConnectionError;
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
}
