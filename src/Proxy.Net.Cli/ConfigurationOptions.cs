using System.CommandLine;

namespace ProxyNet.Cli;

/// <summary>The configuration flags shared by get, put and doctor; one instance per command.</summary>
internal sealed class ConfigurationOptions
{
    public Option<string> Config { get; } = new("--config") { Description = "JSON file with a top-level \"Proxy\" object (beats Proxy__* variables)", HelpName = "FILE" };

    public Option<string> Proxy { get; } = new("--proxy") { Description = "proxy for http, https and ftp (beats every configuration, a PacUrl included)", HelpName = "URL" };

    public Option<string> NoProxy { get; } = new("--no-proxy") { Description = "bypass list, NO_PROXY syntax (replaces the configured one)", HelpName = "LIST" };

    public Option<string> CaFile { get; } = new("--ca-file") { Description = "CA certificates trusted for origins (replaces Tls:OriginCaCertificates; the system store stays)", HelpName = "PATH" };

    public Option<string> ProxyCaFile { get; } = new("--proxy-ca-file") { Description = "CA certificates trusted for an HTTPS proxy (replaces Tls:ProxyCaCertificates and SslCA)", HelpName = "PATH" };

    public Option<string> Pac { get; } = PacOption();

    public Option<bool> Insecure { get; } = new("--insecure") { Description = "accept any origin certificate (proxy trust unchanged); prints a warning" };

    public void AddTo(Command command)
    {
        command.Add(Proxy);
        command.Add(NoProxy);
        command.Add(CaFile);
        command.Add(ProxyCaFile);
        command.Add(Insecure);
        command.Add(Pac);
        command.Add(Config);
    }

    /// <summary>
    /// curl's spellings of the same flags, for get and put: <c>-x</c>, <c>--noproxy</c>, <c>--cacert</c>,
    /// <c>--proxy-cacert</c>, <c>-k</c>. (curl's <c>--cacert</c> replaces its bundle; ours adds to the system store.)
    /// </summary>
    public void AddCurlSpellings()
    {
        Proxy.Aliases.Add("-x");
        NoProxy.Aliases.Add("--noproxy");
        CaFile.Aliases.Add("--cacert");
        ProxyCaFile.Aliases.Add("--proxy-cacert");
        Insecure.Aliases.Add("-k");
    }

    public CliFlags Read(ParseResult result) => new(
        result.GetValue(Config),
        result.GetValue(Proxy),
        result.GetValue(NoProxy),
        result.GetValue(CaFile),
        result.GetValue(ProxyCaFile),
        result.GetValue(Insecure),
        result.GetValue(Pac));

    /// <summary><c>--pac URL|FILE</c>: sets <c>PacUrl</c> (resolve, explain, get, put, doctor).</summary>
    public static Option<string> PacOption() => new("--pac")
    {
        Description = "PAC script (http(s):// URL, file:// URL or path) asked for every URL the bypass list leaves; sets PacUrl, replacing the proxies of --config and Proxy__* (--proxy beats it)",
        HelpName = "URL|FILE",
    };
}
