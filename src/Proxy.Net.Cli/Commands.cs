using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace ProxyNet.Cli;

/// <summary>proxynet's command line: the commands, their flags, and the help text that states the precedence.</summary>
internal static class Commands
{
    public const string Precedence = """
        Configuration, highest precedence first: command-line flags, then --config FILE (JSON with a top-level
        "Proxy" object), then Proxy__* environment variables, then the standard variables (http_proxy/HTTP_PROXY,
        https_proxy/HTTPS_PROXY, ftp_proxy/FTP_PROXY, all_proxy/ALL_PROXY, grpc_proxy/GRPC_PROXY with --grpc,
        no_proxy/NO_PROXY). A flag replaces its own setting only; proxy settings never change origin trust and
        origin settings never change proxy trust. An accept-any-certificate switch prints one warning naming its source.
        """;

    public const string ExitCodes = """
        Exit codes: 0 success, 1 a configuration error, 2 bad command-line usage;
        get and put also: 3 the origin answered an HTTP error (22 instead with -f, as curl), 4 the connection, proxy or
        TLS failed, 5 timeout. A redirect that is not followed (no -L) is not an error: exit 0.
        """;

    public static RootCommand Build(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("proxynet - explain and test a proxy configuration");
        root.Add(Resolve(stdout, stderr, explain: false));
        root.Add(Resolve(stdout, stderr, explain: true));
        root.Add(TransferCommandLine.Create(stderr, put: false));
        root.Add(TransferCommandLine.Create(stderr, put: true));
        root.Add(Doctor(stdout, stderr));
        root.Add(Tunnel(stdout, stderr));
        root.Add(Serve(stdout, stderr));
        root.Add(EnvCommand.Create(stdout, stderr));
        root.Add(DriversCommand.Create(stdout, stderr));
        root.Add(CompletionCommand.Create(stdout));
        foreach (var option in root.Options.OfType<HelpOption>())
        {
            option.Action = new HelpWithEpilogue((HelpAction)option.Action!, stdout);
        }

        return root;
    }

    private static Command Resolve(TextWriter stdout, TextWriter stderr, bool explain)
    {
        var command = new Command(
            explain ? "explain" : "resolve",
            (explain ? "the route for each URL, step by step, for a person" : "the route for each URL (exit 1 when one is a configuration error)"));
        var urls = new Argument<string[]>("URL") { Arity = ArgumentArity.OneOrMore, Description = "absolute URLs (http, https, ws, wss, ftp, ...)" };
        var json = new Option<bool>("--json") { Description = "one JSON object per URL: {\"url\",\"proxy\",\"reason\"}, for a PAC decision {\"url\",\"proxy\",\"candidates\",\"reason\"} (candidates: every proxy of the answer in order, null for DIRECT), or {\"url\",\"error\"}", Hidden = explain };
        var grpc = new Option<bool>("--grpc") { Description = "route as a gRPC channel: grpc_proxy/GRPC_PROXY first" };
        var config = new Option<string>("--config") { Description = "JSON file with a top-level \"Proxy\" object (beats Proxy__* variables)", HelpName = "FILE" };
        var pac = ConfigurationOptions.PacOption();
        command.Add(urls);
        command.Add(json);
        command.Add(grpc);
        command.Add(config);
        command.Add(pac);
        command.SetAction(result => ResolveCommand.Run(result.GetValue(urls)!, explain, result.GetValue(json), result.GetValue(grpc), new CliFlags(result.GetValue(config), Pac: result.GetValue(pac)), stdout, stderr));
        return command;
    }

    private static Command Doctor(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command(
            "doctor",
            "check variables, proxies, authentication, CONNECT, FTP ports and TLS, then send a real request for URL through the "
            + "same configuration get uses; exit 1 when a check fails");
        var url = new Argument<string?>("URL") { Arity = ArgumentArity.ZeroOrOne, Description = "a URL to check end to end" };
        var json = new Option<bool>("--json") { Description = "{\"checks\":[{\"check\",\"verdict\",\"detail\"}...],\"verdict\"}" };
        var timeout = new Option<string>("--timeout") { Description = "per check, in seconds (default 5)", HelpName = "SECONDS" };
        var configuration = new ConfigurationOptions();
        command.Add(url);
        command.Add(json);
        command.Add(timeout);
        configuration.AddTo(command);
        command.SetAction((result, cancellation) => DoctorCommand.RunAsync(result.GetValue(url), result.GetValue(json), result.GetValue(timeout), configuration.Read(result), stdout, stderr));
        return command;
    }

    private static Command Serve(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command(
            "serve",
            "a local HTTP proxy on this configuration's routing and logins for every process (Python, R, pip, git, Node), until SIGINT/SIGTERM");
        var listen = new Option<string>("--listen") { Description = "ADDRESS:PORT to listen on (default 127.0.0.1:3128)", HelpName = "ADDR:PORT" };
        var tokenFile = new Option<string>("--token-file") { Description = "where the client token is kept, mode 0600 (default $XDG_RUNTIME_DIR/proxynet/token or ~/.config/proxynet/token)", HelpName = "FILE" };
        var noAuth = new Option<bool>("--no-client-auth") { Description = "no token: any process that reaches the port uses the upstream logins" };
        var allow = new Option<string[]>("--allow") { Description = "client ranges (CIDR) allowed besides loopback; needed to listen on another address", HelpName = "CIDR", AllowMultipleArgumentsPerToken = true };
        var config = new Option<string>("--config") { Description = "JSON file with a top-level \"Proxy\" object (beats Proxy__* variables)", HelpName = "FILE" };
        var pac = ConfigurationOptions.PacOption();
        command.Add(listen);
        command.Add(tokenFile);
        command.Add(noAuth);
        command.Add(allow);
        command.Add(config);
        command.Add(pac);
        command.SetAction((result, cancellation) => ServeCommand.RunAsync(
            new ServeRequest(result.GetValue(listen), result.GetValue(tokenFile), result.GetValue(noAuth), result.GetValue(allow) ?? [], new CliFlags(result.GetValue(config), Pac: result.GetValue(pac))),
            stdout,
            stderr));
        return command;
    }

    private static Command Tunnel(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command(
            "tunnel",
            "forward local ports to TCP services (databases, Redis) through the proxy the routing chooses for https://HOST:PORT/, "
            + "one tunnel per connection, until SIGINT/SIGTERM; prints one ready line per forward");
        var forwards = new Argument<string[]>("FORWARD") { Arity = ArgumentArity.OneOrMore, Description = "[BIND:]LOCAL_PORT:HOST:PORT (BIND defaults to 127.0.0.1; LOCAL_PORT 0 picks a free port)" };
        var config = new Option<string>("--config") { Description = "JSON file with a top-level \"Proxy\" object (beats Proxy__* variables)", HelpName = "FILE" };
        var pac = ConfigurationOptions.PacOption();
        command.Add(forwards);
        command.Add(config);
        command.Add(pac);
        command.SetAction((result, cancellation) => TunnelCommand.RunAsync(result.GetValue(forwards)!, new CliFlags(result.GetValue(config), Pac: result.GetValue(pac)), stdout, stderr));
        return command;
    }

    /// <summary>System.CommandLine's help, then what every tool's help should say: precedence and exit codes.</summary>
    internal sealed class HelpWithEpilogue(HelpAction help, TextWriter stdout) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            int exit = help.Invoke(parseResult);
            string? epilogue = parseResult.CommandResult.Command.Name switch
            {
                "get" or "put" or "doctor" => $"{Precedence}\n\n{ExitCodes}",
                "resolve" or "explain" => Precedence,
                "completion" => null,
                _ => $"{Precedence}\n\n{ExitCodes}",
            };
            if (epilogue is not null)
            {
                stdout.WriteLine(epilogue);
                stdout.WriteLine();
            }

            return exit;
        }
    }
}
