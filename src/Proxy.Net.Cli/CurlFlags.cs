using System.CommandLine;

namespace ProxyNet.Cli;

/// <summary>
/// The curl flags <c>get</c> and <c>put</c> do not have, each with what to type instead: a curl user's fingers meet a
/// sentence, not "Unrecognized command or argument". Flags curl has and proxynet implements are in
/// <see cref="TransferCommandLine"/>; the rest of curl's many flags get System.CommandLine's own error.
/// </summary>
internal static class CurlFlags
{
    private const string None = "";

    private static readonly (string[] Spellings, string Instead)[] Table =
    [
        (["-d", "--data", "--data-raw", "--data-binary", "--data-ascii", "--data-urlencode", "-F", "--form", "--form-string", "--json"],
            "proxynet put FILE URL (an HTTP PUT of the file; add -X POST for a POST)"),
        (["-T", "--upload-file"], "proxynet put FILE URL"),
        (["--connect-timeout"], "-m/--timeout SECONDS, which bounds the whole transfer, the connection included"),
        (["--compressed"], "-H 'Accept-Encoding: gzip', which writes the compressed bytes as they come"),
        (["-A", "--user-agent"], "-H 'User-Agent: VALUE'"),
        (["-e", "--referer"], "-H 'Referer: URL'"),
        (["-b", "--cookie", "-c", "--cookie-jar"], "-H 'Cookie: NAME=VALUE' (proxynet keeps no cookie jar)"),
        (["-r", "--range"], "-H 'Range: bytes=FROM-TO'"),
        (["--proxy-header"], "Proxy:ProxyHeaders in a --config file (sent to the proxy only)"),
        (["--socks5", "--socks4", "--socks4a"], "-x socks5://HOST:PORT (socks4:// and socks4a:// too)"),
        (["--socks5-hostname"], "-x socks5h://HOST:PORT"),
        (["--proxy-negotiate", "--proxy-ntlm", "--proxy-digest", "--proxy-basic", "--proxy-anyauth"],
            "nothing: proxynet uses the strongest login the proxy offers (limit them with Proxy:AuthSchemes in a --config file); -U : logs in as the current user (Kerberos/NTLM)"),
        (["--basic", "--digest", "--ntlm", "--negotiate", "--anyauth"], "-u USER:PASSWORD (Basic) for the origin, -U USER:PASSWORD for the proxy"),
        (["-n", "--netrc", "--netrc-optional", "--netrc-file"], "-u USER:PASSWORD"),
        (["--capath"], "--cacert FILE (our --ca-file)"),
        (["--proxy-capath"], "--proxy-cacert FILE (our --proxy-ca-file)"),
        (["-w", "--write-out", "--trace", "--trace-ascii"], "-v, which prints the route, the status, the headers and the byte count on stderr"),
        (["--fail-with-body"], "-f (which writes no body)"),
        (["--location-trusted"], "-L (proxynet drops Authorization and Cookie on a redirect to another host, as curl does without --location-trusted)"),
        (["-#", "--progress-bar"], "nothing: the progress bar shows on a terminal for bodies over 1 MiB (-s hides it)"),
        (["-N", "--no-buffer"], "nothing: proxynet streams the body as it comes"),
        (["-K"], "--config FILE (JSON with a top-level Proxy object)"),
        (["--retry", "--retry-delay", "--retry-max-time", "--retry-all-errors"], None),
        (["-C", "--continue-at", "--limit-rate", "-Z", "--parallel", "-G", "--get", "-j", "--junk-session-cookies"], None),
        (["-E", "--cert", "--key", "--cert-type", "--proxy-cert", "--proxy-key"], None),
        (["-0", "--http1.0", "--http1.1", "--http2", "--http2-prior-knowledge", "--http3", "--tlsv1.2", "--tlsv1.3", "--tls-max", "--ciphers"], None),
        (["-4", "-6", "--ipv4", "--ipv6", "--resolve", "--connect-to", "--interface", "--dns-servers", "--unix-socket"], None),
    ];

    /// <summary>
    /// For a get/put line that did not parse: <c>proxynet get: curl's -d is not supported; did you mean …?</c> for the
    /// first word that is a curl flag we lack (alone, as <c>--flag=value</c>, or inside a bundle such as
    /// <c>-sd</c>), or null when none is.
    /// </summary>
    public static string? Explain(ParseResult parsed, IReadOnlyList<string> args)
    {
        string command = parsed.CommandResult.Command.Name;
        if (command is not ("get" or "put"))
        {
            return null;
        }

        // The words as typed, not the parser's tokens: an unknown "-d" is taken for the URL argument, and an unknown
        // letter in a bundle ("-fsSLd") is split off as a word of its own.
        foreach (string token in args)
        {
            if (Lookup(token) is { } found)
            {
                return Sentence(command, found.Flag, found.Instead);
            }

            // "-fsSd": the letters proxynet knows are options of the command; the first one that is not, curl's.
            if (token.Length > 2 && token[0] == '-' && token[1] != '-')
            {
                var known = parsed.CommandResult.Command.Options.SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet(StringComparer.Ordinal);
                foreach (char letter in token[1..])
                {
                    string flag = $"-{letter}";
                    if (!known.Contains(flag))
                    {
                        return Lookup(flag) is { } inBundle ? Sentence(command, inBundle.Flag, inBundle.Instead) : null;
                    }
                }
            }
        }

        return null;
    }

    private static (string Flag, string Instead)? Lookup(string token)
    {
        string flag = token.StartsWith("--", StringComparison.Ordinal) && token.IndexOf('=', StringComparison.Ordinal) is > 2 and int eq ? token[..eq] : token;
        foreach (var (spellings, instead) in Table)
        {
            if (spellings.Contains(flag, StringComparer.Ordinal))
            {
                return (flag, instead);
            }
        }

        return null;
    }

    private static string Sentence(string command, string flag, string instead) =>
        instead.Length == 0
            ? $"proxynet {command}: curl's {flag} is not supported (proxynet has no equivalent)"
            : $"proxynet {command}: curl's {flag} is not supported; did you mean {instead}?";
}
