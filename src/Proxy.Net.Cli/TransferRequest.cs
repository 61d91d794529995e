namespace ProxyNet.Cli;

/// <summary>One <c>get</c> or <c>put</c> command line: the transfer's own flags (the configuration's are in <see cref="Flags"/>).</summary>
internal sealed record TransferRequest(string? Upload, string Url, string? Output, bool Verbose, string? Timeout, CliFlags Flags)
{
    /// <summary><c>-H "Name: value"</c>, in order, as typed.</summary>
    public IReadOnlyList<string> Headers { get; init; } = [];

    /// <summary><c>-X METHOD</c>: replaces GET (get) or PUT (put).</summary>
    public string? Method { get; init; }

    /// <summary><c>-I</c>: a HEAD request; the status line and headers are the output.</summary>
    public bool Head { get; init; }

    /// <summary><c>-i</c>: the status line and headers before the body.</summary>
    public bool Include { get; init; }

    /// <summary><c>-L</c>: follow redirects (off by default, as curl).</summary>
    public bool Location { get; init; }

    /// <summary><c>--max-redirs N</c> with <c>-L</c> (default 50, as curl).</summary>
    public string? MaxRedirects { get; init; }

    /// <summary><c>-s</c>: no progress bar, warnings, notes or failure line (the exit code still tells).</summary>
    public bool Silent { get; init; }

    /// <summary><c>-S</c>: with <c>-s</c>, the failure line is printed again.</summary>
    public bool ShowError { get; init; }

    /// <summary><c>-f</c>: curl's exit code 22 for an HTTP status of 400 or more (3 otherwise).</summary>
    public bool Fail { get; init; }

    /// <summary><c>-O</c>: write to the file named by the URL's last path segment, in the current folder.</summary>
    public bool RemoteName { get; init; }

    /// <summary><c>-p</c>: reach http:// origins through an http proxy by CONNECT as well.</summary>
    public bool ProxyTunnel { get; init; }

    /// <summary><c>-u user:password</c>: the origin's login (Basic for http and https, USER/PASS for ftp).</summary>
    public string? User { get; init; }
}
