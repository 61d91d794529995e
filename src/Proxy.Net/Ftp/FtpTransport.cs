using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace ProxyNet.Ftp;

/// <summary>
/// <c>ftp://</c> requests through the same <see cref="HttpClient"/> as http: GET downloads (streamed), a URL ending in
/// <c>/</c> lists the directory, HEAD gives SIZE and MDTM, PUT uploads (STOR). Passive mode only, EPSV then PASV;
/// the address in a PASV reply is ignored and the data connection goes to the control host (as curl does), so a
/// NAT-ed or hostile server cannot send it elsewhere. Binary type. Anonymous unless credentials are given.
/// </summary>
internal static partial class FtpTransport
{
    public static async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, FtpConnector connector, ICredentials? credentials, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        string host = uri.IdnHost;
        string path = Uri.UnescapeDataString(uri.AbsolutePath);
        var control = new FtpControlChannel(await connector.OpenAsync(host, uri.Port, cancellationToken).ConfigureAwait(false));
        bool handedOver = false;
        try
        {
            var greeting = await control.ReadReplyAsync(cancellationToken).ConfigureAwait(false);
            if (greeting.Code != 220)
            {
                return Failure(request, greeting);
            }

            var (user, password) = Login(uri, credentials);
            var reply = await control.CommandAsync("USER", user, cancellationToken).ConfigureAwait(false);
            if (reply.Code == 331)
            {
                reply = await control.CommandAsync("PASS", password, cancellationToken).ConfigureAwait(false);
            }

            if (reply.Code != 230)
            {
                return Failure(request, reply);
            }

            reply = await control.CommandAsync("TYPE", "I", cancellationToken).ConfigureAwait(false);
            if (!reply.IsPositive)
            {
                return Failure(request, reply);
            }

            if (request.Method == HttpMethod.Head)
            {
                return await HeadAsync(request, control, path, cancellationToken).ConfigureAwait(false);
            }

            if (request.Method == HttpMethod.Get)
            {
                // The body streams from the data connection and owns the control connection from here on.
                var response = path.EndsWith('/')
                    ? await ListAsync(request, control, connector, host, path, cancellationToken).ConfigureAwait(false)
                    : await RetrieveAsync(request, control, connector, host, path, cancellationToken).ConfigureAwait(false);
                handedOver = response.IsSuccessStatusCode;
                return response;
            }

            if (request.Method == HttpMethod.Put)
            {
                return await StoreAsync(request, control, connector, host, path, cancellationToken).ConfigureAwait(false);
            }

            return new HttpResponseMessage(HttpStatusCode.MethodNotAllowed) { RequestMessage = request, ReasonPhrase = "FTP supports GET, HEAD and PUT" };
        }
        finally
        {
            if (!handedOver)
            {
                await control.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<HttpResponseMessage> HeadAsync(HttpRequestMessage request, FtpControlChannel control, string path, CancellationToken cancellationToken)
    {
        var size = await control.CommandAsync("SIZE", path, cancellationToken).ConfigureAwait(false);
        if (size.Code != 213)
        {
            return Failure(request, size);
        }

        var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new ByteArrayContent([]) };
        response.Content.Headers.ContentLength = SizeOf(size);
        var modified = await control.CommandAsync("MDTM", path, cancellationToken).ConfigureAwait(false);
        if (modified.Code == 213 && DateTime.TryParseExact(modified.Text.Trim()[..Math.Min(14, modified.Text.Trim().Length)], "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var when))
        {
            response.Content.Headers.LastModified = new DateTimeOffset(when, TimeSpan.Zero);
        }

        await QuitAsync(control, cancellationToken).ConfigureAwait(false);
        return response;
    }

    private static async Task<HttpResponseMessage> ListAsync(HttpRequestMessage request, FtpControlChannel control, FtpConnector connector, string host, string path, CancellationToken cancellationToken)
    {
        var cwd = await control.CommandAsync("CWD", path, cancellationToken).ConfigureAwait(false);
        if (!cwd.IsPositive)
        {
            return Failure(request, cwd);
        }

        // Streamed like a download: a listing of any size costs a buffer, and HttpClient's
        // MaxResponseContentBufferSize bounds it for callers that buffer the body.
        var content = await OpenTransferAsync(control, connector, host, "LIST", null, length: null, cancellationToken).ConfigureAwait(false);
        if (content.Failure is { } refused)
        {
            return Failure(request, refused);
        }

        content.Body!.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        return new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = content.Body };
    }

    private static async Task<HttpResponseMessage> RetrieveAsync(HttpRequestMessage request, FtpControlChannel control, FtpConnector connector, string host, string path, CancellationToken cancellationToken)
    {
        var size = await control.CommandAsync("SIZE", path, cancellationToken).ConfigureAwait(false);
        long? length = size.Code == 213 ? SizeOf(size) : null;
        var content = await OpenTransferAsync(control, connector, host, "RETR", path, length, cancellationToken).ConfigureAwait(false);
        if (content.Failure is { } refused)
        {
            return Failure(request, refused);
        }

        content.Body!.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (length is not null)
        {
            content.Body.Headers.ContentLength = length;
        }

        return new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = content.Body };
    }

    /// <summary>
    /// Opens the data connection and starts <paramref name="command"/> on it: the body that streams it, or the
    /// server's refusal. The data connection is closed on every path that does not hand it to the body.
    /// </summary>
    private static async Task<(StreamContent? Body, FtpReply? Failure)> OpenTransferAsync(FtpControlChannel control, FtpConnector connector, string host, string command, string? argument, long? length, CancellationToken cancellationToken)
    {
        var data = await PassiveAsync(control, connector, host, cancellationToken).ConfigureAwait(false);
        try
        {
            FtpConnector.PreferBulkReads(data);
            var start = await control.CommandAsync(command, argument, cancellationToken).ConfigureAwait(false);
            if (start.Code is not (125 or 150))
            {
                await data.DisposeAsync().ConfigureAwait(false);
                return (null, start);
            }

            return (new StreamContent(new FtpDownloadStream(data, control, length), 1 << 16), null);
        }
        catch
        {
            await data.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<HttpResponseMessage> StoreAsync(HttpRequestMessage request, FtpControlChannel control, FtpConnector connector, string host, string path, CancellationToken cancellationToken)
    {
        var data = await PassiveAsync(control, connector, host, cancellationToken).ConfigureAwait(false);
        await using (data.ConfigureAwait(false))
        {
            var start = await control.CommandAsync("STOR", path, cancellationToken).ConfigureAwait(false);
            if (start.Code is not (125 or 150))
            {
                return Failure(request, start);
            }

            if (request.Content is not null)
            {
                await request.Content.CopyToAsync(data, cancellationToken).ConfigureAwait(false);
            }

            await data.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        var done = await control.ReadReplyAsync(cancellationToken).ConfigureAwait(false);
        if (done.Code is < 200 or >= 300)
        {
            return Failure(request, done);
        }

        await QuitAsync(control, cancellationToken).ConfigureAwait(false);
        return new HttpResponseMessage(HttpStatusCode.Created) { RequestMessage = request, ReasonPhrase = $"FTP {done}" };
    }

    /// <summary>EPSV, then PASV; the data connection always goes to the control host.</summary>
    private static async Task<Stream> PassiveAsync(FtpControlChannel control, FtpConnector connector, string host, CancellationToken cancellationToken)
    {
        int port;
        var epsv = await control.CommandAsync("EPSV", null, cancellationToken).ConfigureAwait(false);
        if (epsv.Code == 229 && EpsvPort().Match(epsv.Raw) is { Success: true } extended)
        {
            port = int.Parse(extended.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
        }
        else
        {
            var pasv = await control.CommandAsync("PASV", null, cancellationToken).ConfigureAwait(false);
            var match = PasvAddress().Match(pasv.Raw);
            if (pasv.Code != 227 || !match.Success)
            {
                throw new HttpRequestException($"The FTP server refused passive mode: EPSV answered {epsv}, PASV answered {pasv}");
            }

            port = (int.Parse(match.Groups[5].ValueSpan, CultureInfo.InvariantCulture) * 256) + int.Parse(match.Groups[6].ValueSpan, CultureInfo.InvariantCulture);
        }

        if (port is < 1 or > 65535)
        {
            throw new HttpRequestException($"The FTP server offered data port {port} (refused)");
        }

        return await connector.OpenAsync(host, port, cancellationToken).ConfigureAwait(false);
    }

    private static Task QuitAsync(FtpControlChannel control, CancellationToken cancellationToken) => control.QuitAsync(cancellationToken);

    /// <summary>A 213 reply to SIZE: a non-negative decimal number that fits a long, or a protocol error.</summary>
    private static long SizeOf(FtpReply reply)
    {
        string text = reply.Raw.Trim();
        if (text.Length == 0 || !text.All(char.IsAsciiDigit) || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long size))
        {
            throw new HttpRequestException($"The FTP server sent an invalid SIZE reply: '{FtpControlChannel.Printable(reply.Text.Trim())}' is not a size in bytes (protocol error)");
        }

        return size;
    }

    private static (string User, string Password) Login(Uri uri, ICredentials? credentials)
    {
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            int colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            return colon < 0
                ? (Uri.UnescapeDataString(uri.UserInfo), string.Empty)
                : (Uri.UnescapeDataString(uri.UserInfo[..colon]), Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]));
        }

        var credential = credentials?.GetCredential(uri, "Basic");
        return credential is { UserName.Length: > 0 } ? (credential.UserName, credential.Password) : ("anonymous", "anonymous@");
    }

    /// <summary>FTP replies as HTTP statuses: 530 → 401, 550 → 404, 532/552/553 → 403, others → 502, with the FTP text.</summary>
    private static HttpResponseMessage Failure(HttpRequestMessage request, FtpReply reply) => new(reply.Code switch
    {
        530 => HttpStatusCode.Unauthorized,
        550 => HttpStatusCode.NotFound,
        532 or 552 or 553 => HttpStatusCode.Forbidden,
        _ => HttpStatusCode.BadGateway,
    })
    {
        RequestMessage = request,
        ReasonPhrase = $"FTP {reply}",
        Content = new ByteArrayContent(Encoding.UTF8.GetBytes(reply.ToString())),
    };

    [GeneratedRegex(@"\|\|\|([0-9]{1,5})\|")]
    private static partial Regex EpsvPort();

    [GeneratedRegex(@"([0-9]{1,3}),([0-9]{1,3}),([0-9]{1,3}),([0-9]{1,3}),([0-9]{1,3}),([0-9]{1,3})")]
    private static partial Regex PasvAddress();
}
