using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using ProxyNet.Diagnostics;
using ProxyNet.Http;
using ProxyNet.Tls;
using ProxyNet.Tunnel;

namespace ProxyNet.Forwarding;

/// <summary>
/// Opens a byte stream to <c>host:port</c> on the route the library chooses for the URL <c>https://host:port/</c>
/// (semantics, section 8): each candidate in order past open breakers, DIRECT only where the egress policy allows it,
/// CONNECT with the route's login and proxy trust, SOCKS5 for socks proxies. The caller's token and the route's
/// <see cref="ProxyTunnelOptions.ConnectTimeout"/> bound every attempt.
/// </summary>
internal sealed class RouteConnector(ClientRoute route, ILogger logger)
{
    public ProxyDecision Decide(string host, int port) => route.Plan(TargetUri(host, port), null).Decision;

    public async Task<(Stream Stream, ProxyEndpoint? Proxy)> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var uri = TargetUri(host, port);
        var plan = route.Plan(uri, null);
        var decision = plan.Decision;
        if (decision.IsError)
        {
            throw new ProxyConfigurationException(decision.Error!);
        }

        var transport = plan.Transport ?? TransportSettings.Default;
        Exception? last = null;
        foreach (var candidate in decision.Candidates.Count > 0 ? decision.Candidates : [decision])
        {
            if (candidate.Proxy is not { } proxy)
            {
                if (EgressPolicy.Refusal(plan, uri, candidate) is { } refused)
                {
                    Log.EgressRefused(logger, $"{host}:{port}", candidate.Reason);
                    last = refused;
                    continue;
                }

                try
                {
                    return (await DirectAsync(host, port, cancellationToken).ConfigureAwait(false), null);
                }
                catch (SocketException e)
                {
                    last = new ProxyTunnelException($"Cannot connect to {Authority(host, port)} (DIRECT, {candidate.Reason}): {e.Message}", null, e);
                    continue;
                }
            }

            var breaker = route.Failover.For(proxy);
            Stream? opened = null;
            try
            {
                // The breaker pipeline is typed for HTTP responses: an opened tunnel answers with an empty one.
                using var _ = await breaker.Pipeline.ExecuteAsync(
                    async token =>
                    {
                        opened = await OpenAsync(proxy, host, port, transport, token).ConfigureAwait(false);
                        return new HttpResponseMessage();
                    },
                    cancellationToken).ConfigureAwait(false);
                return (opened!, proxy);
            }
            catch (Polly.CircuitBreaker.BrokenCircuitException e)
            {
                Log.ProxySkipped(logger, proxy.Address);
                last ??= e;
            }
            catch (Exception e) when (ProxyFailures.Classify(e) == ProxyFailure.Unusable && decision.Candidates.Count > 1)
            {
                if (breaker.ShouldWarn())
                {
                    Log.ProxyFailover(logger, proxy.Address, e.Message);
                }

                last = e;
            }
        }

        if (last is ProxyEgressRefusedException or ProxyTunnelException && decision.Candidates.Count <= 1)
        {
            throw last;
        }

        throw new ProxyTunnelException(
            $"No proxy could be reached for {Authority(host, port)}: tried {string.Join(", ", decision.Candidates.Select(c => c.Proxy?.Address ?? "DIRECT"))}",
            null,
            last);
    }

    private static async Task<Stream> OpenAsync(ProxyEndpoint proxy, string host, int port, TransportSettings transport, CancellationToken cancellationToken)
    {
        if (proxy.IsSocks)
        {
            return await Socks5Client.ConnectAsync(proxy, host, port, RouteTransportPool.TunnelOptions(proxy, transport).ConnectTimeout, cancellationToken).ConfigureAwait(false);
        }

        return await ProxyTunnel.ConnectAsync(proxy, host, port, RouteTransportPool.TunnelOptions(proxy, transport), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Stream> DirectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    internal static Uri TargetUri(string host, int port) => new($"https://{Authority(host, port)}/");

    internal static string Authority(string host, int port) => host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";
}
