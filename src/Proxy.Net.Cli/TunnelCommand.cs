using System.Net.Sockets;
using ProxyNet.Forwarding;

namespace ProxyNet.Cli;

/// <summary>
/// <c>proxynet tunnel [--config FILE] [--pac URL|FILE] [BIND:]LOCAL_PORT:HOST:PORT...</c>: a local port per forward,
/// each connection tunnelled to HOST:PORT as the library routes <c>https://HOST:PORT/</c>, until SIGINT or SIGTERM.
/// </summary>
internal static class TunnelCommand
{
    public static async Task<int> RunAsync(string[] specs, CliFlags flags, TextWriter stdout, TextWriter stderr)
    {
        var forwards = specs.Select(ForwardSpec.Parse).ToList();
        var configuration = CliConfiguration.Load(flags);
        foreach (string warning in configuration.Resolver.Warnings)
        {
            stderr.WriteLine($"proxynet: warning: {Terminal.Safe(warning)}");
        }

        var listeners = new List<ProxyTunnelListener>();
        using var stop = new CancellationTokenSource();
        using var signals = Signals.StopOn(stop);
        try
        {
            foreach (var forward in forwards)
            {
                var options = new ProxyTunnelListenerOptions
                {
                    LocalEndPoint = forward.Local,
                    Failed = line => stderr.WriteLine($"proxynet tunnel: {Terminal.Safe(line)}"),
                };
                ProxyTunnelListener listener;
                try
                {
                    listener = await ProxyTunnelListener.StartAsync(configuration.Resolver, forward.Host, forward.Port, options).ConfigureAwait(false);
                }
                catch (SocketException e)
                {
                    stderr.WriteLine($"proxynet tunnel: cannot listen on {forward.Local}: {Terminal.Safe(e.Message)}");
                    return 1;
                }

                listeners.Add(listener);
                var route = listener.Route;
                if (route.IsError)
                {
                    stderr.WriteLine($"proxynet: configuration error: {Terminal.Safe(route.Error)}");
                    return 1;
                }

                stdout.WriteLine($"{listener.LocalEndPoint} -> {Authority(forward.Host, forward.Port)} via {Via(route)}");
            }

            stdout.Flush();
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // SIGINT or SIGTERM: close every forward below.
            }

            return 0;
        }
        finally
        {
            foreach (var listener in listeners)
            {
                await listener.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The route in the words of the ready line: the proxy's address without credentials, DIRECT, or a PAC list.</summary>
    internal static string Via(ProxyDecision route)
    {
        var candidates = route.CandidateProxies.Count > 0 ? route.CandidateProxies : [route.Proxy];
        string first = candidates[0]?.Address ?? "DIRECT";
        return candidates.Count > 1
            ? $"{first} (then {string.Join(", ", candidates.Skip(1).Select(c => c?.Address ?? "DIRECT"))})"
            : route.Proxy is null ? $"DIRECT ({route.Reason})" : first;
    }

    private static string Authority(string host, int port) => host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";
}
