using System.CommandLine;
using System.Net;
using ProxyNet.Tls;

namespace ProxyNet.Cli;

/// <summary>
/// <c>proxynet env [--serve ADDR:PORT] [--token-file FILE] [--shell sh|pwsh|dotenv]</c>: the lines a shell, a DSS
/// <c>env-site.sh</c> or a <c>.env</c> file takes for child processes: the proxy variables (pointing at serve, or the
/// resolved proxies with a warning for what other tools cannot say), the bypass list, and one merged CA bundle for
/// every tool's own variable.
/// </summary>
internal static class EnvCommand
{
    /// <summary>The CA variables of the tools a DSS or CARTO process runs: Python requests, OpenSSL, curl, Node, pip, git.</summary>
    internal static readonly string[] CaVariables = ["REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE", "NODE_EXTRA_CA_CERTS", "PIP_CERT", "GIT_SSL_CAINFO"];

    private static readonly string[] SystemBundles = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"];

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("env", "print the environment lines that point child processes (Python, R, pip, git, Node) at serve or the resolved proxies, with one CA bundle");
        var serve = new Option<string>("--serve") { Description = "the ADDR:PORT of a running proxynet serve (its token from --token-file)", HelpName = "ADDR:PORT" };
        var tokenFile = new Option<string>("--token-file") { Description = "serve's token file (default $XDG_RUNTIME_DIR/proxynet/token or ~/.config/proxynet/token)", HelpName = "FILE" };
        var shell = new Option<string>("--shell") { Description = "sh (export NAME='value'), pwsh ($env:NAME = 'value') or dotenv (NAME=value)", HelpName = "sh|pwsh|dotenv", DefaultValueFactory = _ => "sh" };
        shell.AcceptOnlyFromAmong("sh", "pwsh", "dotenv");
        var config = new Option<string>("--config") { Description = "JSON file with a top-level \"Proxy\" object (beats Proxy__* variables)", HelpName = "FILE" };
        var pac = ConfigurationOptions.PacOption();
        command.Add(serve);
        command.Add(tokenFile);
        command.Add(shell);
        command.Add(config);
        command.Add(pac);
        command.SetAction(result => Run(result.GetValue(serve), result.GetValue(tokenFile), result.GetValue(shell) ?? "sh", new CliFlags(result.GetValue(config), Pac: result.GetValue(pac)), stdout, stderr));
        return command;
    }

    public static int Run(string? serve, string? tokenFile, string shell, CliFlags flags, TextWriter stdout, TextWriter stderr)
    {
        var configuration = CliConfiguration.Load(flags);
        var lines = new List<(string Name, string Value)>();
        if (serve is not null)
        {
            var endPoint = ServeCommand.ParseEndPoint(serve, "--serve");
            string path = tokenFile ?? TokenFile.DefaultPath();
            string? token = TokenFile.Read(path);
            if (token is null)
            {
                stderr.WriteLine($"proxynet env: warning: no token in {path} (mode 0600): the proxy URL carries none, which only a serve started with --no-client-auth accepts");
            }

            string url = $"http://{(token is null ? string.Empty : $"proxynet:{token}@")}{endPoint}";
            lines.AddRange(Proxies(url, url));
            lines.AddRange(NoProxy(string.Join(',', new[] { "localhost", "127.0.0.1", "::1", endPoint.Address.ToString() }.Distinct())));
        }
        else
        {
            lines.AddRange(Resolved(configuration, stderr));
        }

        if (Bundle(configuration, stderr) is { } bundle)
        {
            lines.AddRange(CaVariables.Select(name => (name, bundle)));
        }

        foreach (var (name, value) in lines)
        {
            stdout.WriteLine(shell switch
            {
                "pwsh" => $"$env:{name} = '{value.Replace("'", "''", StringComparison.Ordinal)}'",
                "dotenv" => $"{name}={value}",
                _ => $"export {name}='{value.Replace("'", "'\\''", StringComparison.Ordinal)}'",
            });
        }

        return 0;
    }

    private static IEnumerable<(string, string)> Proxies(string? http, string? https)
    {
        foreach (var (names, value) in new[] { (new[] { "http_proxy", "HTTP_PROXY" }, http), (["https_proxy", "HTTPS_PROXY"], https) })
        {
            if (value is not null)
            {
                foreach (string name in names)
                {
                    yield return (name, value);
                }
            }
        }
    }

    private static IEnumerable<(string, string)> NoProxy(string list) => [("no_proxy", list), ("NO_PROXY", list)];

    /// <summary>Without serve: the proxies as other tools can take them, and a warning for each thing they cannot.</summary>
    private static List<(string, string)> Resolved(CliConfiguration configuration, TextWriter stderr)
    {
        string? Address(string probe)
        {
            var decision = configuration.Resolver.Resolve(new Uri(probe));
            if (decision.IsError)
            {
                stderr.WriteLine($"proxynet env: warning: {Terminal.Safe(decision.Error)}");
                return null;
            }

            if (decision.IsPacAnswer || decision.CandidateProxies.Count > 1)
            {
                stderr.WriteLine($"proxynet env: warning: {decision.Reason.Split(' ')[0]} decides per URL, which the variables cannot say; exported: its answer for {probe} (proxynet serve routes every URL as the library does)");
            }

            if (decision.Proxy is not { } proxy)
            {
                return null;
            }

            if (proxy.Credentials is not null || proxy.UseDefaultCredentials || proxy.Scheme is "https")
            {
                stderr.WriteLine($"proxynet env: warning: {proxy.Address} needs {(proxy.Scheme == "https" ? "TLS to the proxy" : "a login")}, which proxynet does not print into variables (passwords never appear in its output): use proxynet serve and env --serve");
            }

            return proxy.Address;
        }

        var lines = Proxies(Address("http://proxynet-env.invalid/"), Address("https://proxynet-env.invalid/")).ToList();
        var kept = new List<string>();
        foreach (string entry in configuration.Options.ExcludedDomains.Count > 0 ? configuration.Options.ExcludedDomains.SelectMany(e => e.Split(',')) : (Environment.GetEnvironmentVariable("no_proxy") ?? Environment.GetEnvironmentVariable("NO_PROXY") ?? string.Empty).Split(','))
        {
            string item = entry.Trim();
            if (item.Length == 0)
            {
                continue;
            }

            if (item.Contains('/', StringComparison.Ordinal))
            {
                stderr.WriteLine($"proxynet env: warning: NO_PROXY entry {Terminal.Safe(item)} is a CIDR range: curl 7.86+ and Python requests read it, wget, Node and older tools do not");
            }
            else if (!IPAddress.TryParse(item.Trim('[', ']'), out _) && item.LastIndexOf(':') > 0)
            {
                stderr.WriteLine($"proxynet env: warning: NO_PROXY entry {Terminal.Safe(item)} names a port, which other tools cannot say: left out (proxynet serve applies it)");
                continue;
            }

            kept.Add(item.StartsWith("*.", StringComparison.Ordinal) ? item[1..] : item);
        }

        if (kept.Count > 0)
        {
            lines.AddRange(NoProxy(string.Join(',', kept)));
        }

        return lines;
    }

    /// <summary>The system's CA bundle and the configured origin CAs in one file beside serve's token; null when no origin CA is configured.</summary>
    private static string? Bundle(CliConfiguration configuration, TextWriter stderr)
    {
        System.Security.Cryptography.X509Certificates.X509Certificate2Collection origin;
        try
        {
            origin = ProxyCertificateTrust.Load(configuration.Options.Tls).OriginCertificates;
        }
        catch (ProxyConfigurationException e)
        {
            stderr.WriteLine($"proxynet env: warning: no CA bundle: {Terminal.Safe(e.Message)}");
            return null;
        }

        if (origin.Count == 0)
        {
            return null;
        }

        string? system = SystemBundles.FirstOrDefault(File.Exists);
        var text = new System.Text.StringBuilder(system is null ? string.Empty : File.ReadAllText(system).TrimEnd() + "\n");
        if (system is null)
        {
            using var store = new System.Security.Cryptography.X509Certificates.X509Store(System.Security.Cryptography.X509Certificates.StoreName.Root, System.Security.Cryptography.X509Certificates.StoreLocation.LocalMachine);
            store.Open(System.Security.Cryptography.X509Certificates.OpenFlags.ReadOnly);
            foreach (var certificate in store.Certificates)
            {
                text.Append(certificate.ExportCertificatePem()).Append('\n');
            }
        }

        foreach (var certificate in origin)
        {
            text.Append("# ").Append(certificate.Subject).Append(" (Tls:OriginCaCertificates)\n").Append(certificate.ExportCertificatePem()).Append('\n');
        }

        string path = Path.Combine(Path.GetDirectoryName(TokenFile.DefaultPath())!, "ca-bundle.pem");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
