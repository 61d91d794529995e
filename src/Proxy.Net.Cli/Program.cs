using System.Reflection;
using System.Text;
using ProxyNet;
using ProxyNet.Cli;
using ProxyNet.Resolution;

Console.OutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
var stdout = Console.Out;
var stderr = Console.Error;

try
{
    return args switch
    {
        [] or ["-h" or "--help" or "help", ..] => Help(stdout),
        ["--version" or "version", ..] => Version(stdout),
        ["resolve", .. var rest] => ResolveCommand.Run(rest, explain: false, stdout, stderr),
        ["explain", .. var rest] => ResolveCommand.Run(rest, explain: true, stdout, stderr),
        ["get", .. var rest] => await TransferCommand.RunAsync(rest, stderr),
        ["put", .. var rest] => await TransferCommand.RunAsync(rest, stderr, put: true),
        ["doctor", .. var rest] => await DoctorCommand.RunAsync(rest, stdout),
        _ => throw new UsageException($"unknown command '{args[0]}'"),
    };
}
catch (UsageException e)
{
    stderr.WriteLine($"proxynet: {e.Message}");
    stderr.WriteLine("Run 'proxynet --help' for usage.");
    return 2;
}
catch (FileNotFoundException e)
{
    stderr.WriteLine($"proxynet: {e.Message}");
    return 2;
}
catch (Exception e) when (e is InvalidDataException or FormatException or ProxyConfigurationException)
{
    stderr.WriteLine($"proxynet: configuration error: {e.Message}");
    return 1;
}

static int Help(TextWriter stdout)
{
    stdout.WriteLine("""
        proxynet - explain and test a proxy configuration

        Usage:
          proxynet resolve [--json] [--grpc] [--config FILE] URL...   the route for each URL
          proxynet explain [--grpc] [--config FILE] URL...            the same, step by step, for a person
          proxynet get URL [-o FILE] [-v] [--proxy URL] [--no-proxy LIST] [--ca-file PATH] [--proxy-ca-file PATH] [--insecure]
                       [--timeout SECONDS] [--config FILE]                download (http, https, ftp) through the same route
          proxynet put FILE URL [same options as get]                 upload (ftp STOR, http PUT) through the same route
          proxynet doctor [URL] [--json] [--config FILE] [--ca-file PATH] [--timeout SECONDS]
                                                                      check variables, proxies, CONNECT, FTP ports, TLS
          proxynet --version

        Configuration: --config FILE (JSON with a top-level "Proxy" object), then Proxy__* environment
        variables, over http_proxy/HTTP_PROXY, https_proxy/HTTPS_PROXY, ftp_proxy/FTP_PROXY,
        all_proxy/ALL_PROXY, grpc_proxy/GRPC_PROXY (with --grpc) and no_proxy/NO_PROXY.

        Exit codes: 0 success, 1 a configuration error, 2 bad command-line usage;
        get also: 3 the origin answered an HTTP error, 4 the connection, proxy or TLS failed, 5 timeout.
        """);
    return 0;
}

static int Version(TextWriter stdout)
{
    string version = typeof(ProxyResolver).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
    stdout.WriteLine($"proxynet {version.Split('+')[0]}");
    return 0;
}
