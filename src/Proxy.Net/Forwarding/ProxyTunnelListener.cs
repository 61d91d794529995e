using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProxyNet.Diagnostics;
using ProxyNet.Http;
using ProxyNet.Resolution;

namespace ProxyNet.Forwarding;

/// <summary>
/// A local port that forwards each connection to one destination through the proxy the routing chooses for it, as
/// <c>ssh -L</c> or cntlm's <c>-L</c> do: for clients that cannot be given a proxy (PostgreSQL, Redis, SQL Server
/// drivers). The destination <c>host:port</c> is routed as the URL <c>https://host:port/</c> (HTTPS_PROXY, then
/// ALL_PROXY; NO_PROXY with <c>host:port</c> entries means DIRECT; PAC, failover and the egress policy apply), each
/// accepted connection through its own tunnel, bytes relayed both ways with half-close, both sides closed together.
/// </summary>
/// <example>
/// <code>
/// await using var forward = await ProxyTunnelListener.StartAsync(ProxyResolver.FromEnvironment(), "db.internal", 5432);
/// var connectionString = $"Host=127.0.0.1;Port={forward.LocalEndPoint.Port};...";
/// </code>
/// </example>
public sealed class ProxyTunnelListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly RouteConnector _connector;
    private readonly ProxyTunnelListenerOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConnectionLoop _loop = new();
    private readonly Task _accepting;
    private int _disposed;

    private ProxyTunnelListener(Socket socket, RouteConnector connector, string host, int port, ProxyTunnelListenerOptions options, ILogger logger)
    {
        _socket = socket;
        _connector = connector;
        _options = options;
        _logger = logger;
        Host = host;
        Port = port;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _accepting = Task.Run(() => _loop.RunAsync(_socket, Admit, ForwardAsync, _stop.Token));
    }

    /// <summary>Where clients connect: the bound address and the port (the OS's choice when 0 was asked).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The destination's host.</summary>
    public string Host { get; }

    /// <summary>The destination's port.</summary>
    public int Port { get; }

    /// <summary>Connections being forwarded now.</summary>
    public int ActiveConnections => _loop.Count;

    /// <summary>The route a new connection would take now (the first candidate), with its reason.</summary>
    public ProxyDecision Route => _connector.Decide(Host, Port);

    /// <summary>Starts listening on <see cref="ProxyTunnelListenerOptions.LocalEndPoint"/> and forwarding to <paramref name="host"/>:<paramref name="port"/>.</summary>
    /// <param name="resolver">Decides each connection's route.</param>
    /// <param name="host">The destination's host name or address.</param>
    /// <param name="port">The destination's port.</param>
    /// <param name="options">Where to listen and the bounds; null for loopback on a free port.</param>
    /// <param name="logger">Receives failures and failovers; null for none.</param>
    /// <exception cref="ArgumentException">The host or port cannot be a destination.</exception>
    /// <exception cref="SocketException">The local address cannot be bound.</exception>
    public static Task<ProxyTunnelListener> StartAsync(ProxyResolver resolver, string host, int port, ProxyTunnelListenerOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        return Task.FromResult(Start(new ClientRoute(resolver, new ProxyClientOptions(), new ProxyFailover()), host, port, options, logger));
    }

    internal static ProxyTunnelListener Start(ClientRoute route, string host, int port, ProxyTunnelListenerOptions? options, ILogger? logger)
    {
        Destination.Validate(host, port);
        options ??= new ProxyTunnelListenerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConnections, 1, nameof(options));
        var socket = ConnectionLoop.Listen(options.LocalEndPoint, 512);
        logger ??= NullLogger.Instance;
        return new ProxyTunnelListener(socket, new RouteConnector(route, logger), host, port, options, logger);
    }

    private bool Admit(Socket client)
    {
        if (_loop.Count < _options.MaxConnections)
        {
            return true;
        }

        Fail($"{Name}: refused a connection: {_options.MaxConnections} connections are forwarded already (ProxyTunnelListenerOptions.MaxConnections)");
        return false;
    }

    private string Name => $"{LocalEndPoint} -> {RouteConnector.Authority(Host, Port)}";

    private async Task ForwardAsync(Socket client)
    {
        client.NoDelay = true;
        using var clientStream = new NetworkStream(client, ownsSocket: true);
        Stream upstream;
        ProxyEndpoint? proxy;
        using (var setup = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
        {
            setup.CancelAfter(_options.SetupTimeout);
            try
            {
                (upstream, proxy) = await _connector.ConnectAsync(Host, Port, setup.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
            {
                Fail($"{Name}: no tunnel within {_options.SetupTimeout.TotalSeconds:0.###} s (ProxyTunnelListenerOptions.SetupTimeout)");
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Fail($"{Name}: {e.Message}");
                return;
            }
        }

        await using (upstream.ConfigureAwait(false))
        {
            Log.TunnelOpened(_logger, Name, proxy?.Address ?? "DIRECT");
            await Relay.RunAsync(clientStream, upstream, _options.IdleTimeout, _stop.Token).ConfigureAwait(false);
        }
    }

    private void Fail(string line)
    {
        Log.TunnelFailed(_logger, line);
        _options.Failed?.Invoke(line);
    }

    /// <summary>Stops listening, closes every forwarded connection and waits for them.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _accepting.ConfigureAwait(false);
        await _loop.All.ConfigureAwait(false);
        _stop.Dispose();
    }
}
