using System.Globalization;
using System.Text;

namespace ProxyNet.Ftp;

/// <summary>
/// The FTP control connection: one command out, one (possibly multi-line) reply in. Commands with a control
/// character (CR, LF, NUL, …) in their argument are refused (command injection); replies are bounded (line length
/// and count) against hostile servers, and a server that echoes the password never gets it into a message.
/// </summary>
internal sealed class FtpControlChannel(Stream stream) : IAsyncDisposable
{
    /// <summary>How long a finished transfer waits for the server's answer to QUIT.</summary>
    internal static readonly TimeSpan QuitTimeout = TimeSpan.FromSeconds(2);

    private const int MaxLine = 8192;
    private const int MaxLines = 1000;
    private readonly byte[] _buffer = new byte[MaxLine];
    private int _start;
    private int _end;
    private string? _secret;

    public async Task<FtpReply> CommandAsync(string command, string? argument, CancellationToken cancellationToken)
    {
        if (argument is not null && argument.Any(char.IsControl))
        {
            throw new HttpRequestException($"FTP {command}: the argument contains a control character such as CR, LF or NUL (refused)");
        }

        if (command == "PASS" && !string.IsNullOrEmpty(argument))
        {
            _secret = argument;
        }

        string line = argument is null ? $"{command}\r\n" : $"{command} {argument}\r\n";
        await stream.WriteAsync(Encoding.UTF8.GetBytes(line), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        return await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<FtpReply> ReadReplyAsync(CancellationToken cancellationToken)
    {
        string first = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (first.Length < 3 || !int.TryParse(first.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out int code))
        {
            throw new HttpRequestException($"The FTP server sent a malformed reply: '{Printable(Masked(first))}'");
        }

        var text = new StringBuilder(first.Length > 4 ? first[4..] : string.Empty);
        if (first.Length > 3 && first[3] == '-')
        {
            string end = first[..3] + " ";
            for (int lines = 0; ; lines++)
            {
                // The first line and this one: a reply of MaxLines lines is read whole, one more is refused.
                if (lines + 2 > MaxLines)
                {
                    throw new HttpRequestException("The FTP server sent a reply of more than 1000 lines (refused)");
                }

                string line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
                if (line.StartsWith(end, StringComparison.Ordinal) || line == first[..3])
                {
                    break;
                }

                text.Append('\n').Append(line);
            }
        }

        // The raw text is what PASV, EPSV and SIZE are parsed from (a password "1" masked in "127,0,0,1" broke them);
        // the masked one is what messages show.
        string raw = text.ToString();
        return new FtpReply(code, Masked(raw)) { Raw = raw };
    }

    /// <summary>
    /// Says goodbye after finished work: a server that hangs up, answers nonsense or never answers within
    /// <see cref="QuitTimeout"/> changes nothing, so a completed transfer is never reported as failed.
    /// </summary>
    public async Task QuitAsync(CancellationToken cancellationToken)
    {
        using var quit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        quit.CancelAfter(QuitTimeout);
        try
        {
            await CommandAsync("QUIT", null, quit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException or ObjectDisposedException)
        {
            // The work is done.
        }
    }

    public ValueTask DisposeAsync() => stream.DisposeAsync();

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                int length = newline - _start;
                if (length > 0 && _buffer[newline - 1] == '\r')
                {
                    length--;
                }

                string line = Encoding.UTF8.GetString(_buffer, _start, length);
                _start = newline + 1;
                return line;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                throw new HttpRequestException("The FTP server sent a reply line over 8 KiB (refused)");
            }

            int read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new HttpRequestException("The FTP server closed the control connection");
            }

            _end += read;
        }
    }

    /// <summary>
    /// A server's text with the password masked, in case the server echoes it; only a password of 6 characters or more
    /// is searched for (a shorter one is in ordinary text, and where the mask fell would give it away).
    /// </summary>
    private string Masked(string text) => _secret is not { Length: >= 6 } ? text : text.Replace(_secret, Redaction.Mask, StringComparison.Ordinal);

    internal static string Printable(string text) => PeerText.Escape(text, 200);
}

/// <summary>One FTP reply: its three-digit code and its text.</summary>
internal readonly record struct FtpReply(int Code, string Text)
{
    public bool IsPositive => Code is >= 100 and < 400;

    private readonly string? _raw;

    /// <summary>The text as the server sent it, to parse (PASV, EPSV, SIZE); <see cref="Text"/> is what messages show.</summary>
    public string Raw
    {
        get => _raw ?? Text;
        init => _raw = value;
    }

    /// <summary>Two replies are the same when they show the same: the raw text is not compared.</summary>
    public bool Equals(FtpReply other) => Code == other.Code && Text == other.Text;

    public override int GetHashCode() => HashCode.Combine(Code, Text);

    public override string ToString() => $"{Code} {FtpControlChannel.Printable(Text)}";
}
