using System.Net;
using System.Net.Sockets;
using ProxyNet.Forwarding;

namespace ProxyNet.Cli;

/// <summary>The flags of <c>proxynet serve</c>.</summary>
internal sealed record ServeRequest(string? Listen, string? TokenFile, bool NoClientAuth, string[] Allow, CliFlags Flags);

/// <summary>
/// <c>proxynet serve</c>: a local forward proxy on the library's routing and logins for every process of the machine,
/// until SIGINT or SIGTERM (then it drains). Prints where it listens and where the token is, never the token.
/// </summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(ServeRequest request, TextWriter stdout, TextWriter stderr)
    {
        var listen = ParseEndPoint(request.Listen ?? "127.0.0.1:3128", "--listen");
        if (!IPAddress.IsLoopback(listen.Address) && request.Allow.Length == 0)
        {
            throw new UsageException($"--listen {listen} is not a loopback address: add --allow CIDR for the clients that may use the upstream logins (every address that can reach the port could otherwise)");
        }

        var configuration = CliConfiguration.Load(request.Flags);
        foreach (string warning in configuration.Resolver.Warnings)
        {
            stderr.WriteLine($"proxynet: warning: {Terminal.Safe(warning)}");
        }

        string? tokenPath = request.NoClientAuth ? null : request.TokenFile ?? TokenFile.DefaultPath();
        var options = new ProxyServerOptions
        {
            LocalEndPoint = listen,
            Token = tokenPath is null ? null : TokenFile.Ensure(tokenPath),
            AllowedClients = request.Allow,
        };
        ProxyServer server;
        try
        {
            server = await ProxyServer.StartAsync(configuration.Resolver, options, new StderrLogger(stderr, "proxynet serve")).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        catch (SocketException e)
        {
            stderr.WriteLine($"proxynet serve: cannot listen on {listen}: {Terminal.Safe(e.Message)}");
            return 1;
        }

        await using (server.ConfigureAwait(false))
        {
            using var stop = new CancellationTokenSource();
            using var signals = Signals.StopOn(stop);
            stdout.WriteLine(tokenPath is null
                ? $"proxynet serve: listening on {server.LocalEndPoint} without client authentication (--no-client-auth)"
                : $"proxynet serve: listening on {server.LocalEndPoint}; clients log in with the token in {tokenPath} (proxynet env --serve {server.LocalEndPoint} prints the variables)");
            if (request.Allow.Length > 0)
            {
                stdout.WriteLine($"proxynet serve: clients allowed besides loopback: {string.Join(", ", request.Allow)}");
            }

            stdout.Flush();
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                stdout.WriteLine($"proxynet serve: stopping ({server.ActiveConnections} connections open, {server.Requests} requests served)");
            }
        }

        return 0;
    }

    internal static IPEndPoint ParseEndPoint(string text, string flag) =>
        IPEndPoint.TryParse(text, out var endPoint) && text.Contains(':', StringComparison.Ordinal)
            ? endPoint
            : throw new UsageException($"{flag} '{Terminal.Safe(text)}' is not ADDRESS:PORT (e.g. 127.0.0.1:3128 or [::1]:3128)");
}
