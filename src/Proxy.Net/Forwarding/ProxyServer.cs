using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProxyNet.Diagnostics;
using ProxyNet.Http;
using ProxyNet.Resolution;
using ProxyNet.Tls;

namespace ProxyNet.Forwarding;

/// <summary>
/// A local HTTP/1.1 forward proxy on the library's routing, for processes that are not .NET (Python, R, pip, git,
/// Node): each absolute-form request goes through <see cref="ProxyNetHandler"/> (the route for its URL, the upstream
/// login, failover; redirects passed to the client), each <c>CONNECT host:port</c> through the tunnel the routing
/// chooses for <c>https://host:port/</c> (semantics, section 8). Clients prove themselves with
/// <see cref="ProxyServerOptions.Token"/>; their <c>Proxy-Authorization</c> never goes upstream.
/// </summary>
/// <example>
/// <code>
/// await using var server = await ProxyServer.StartAsync(ProxyResolver.FromEnvironment(), new ProxyServerOptions { Token = token });
/// // child processes: http_proxy=http://proxynet:TOKEN@127.0.0.1:3128
/// </code>
/// </example>
public sealed class ProxyServer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly ProxyResolver _resolver;
    private readonly HttpMessageHandler _handler;
    private readonly IPNetwork[] _allowed;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConnectionLoop _loop = new();
    private readonly Task _accepting;
    private long _requests;
    private int _tunnels;
    private int _disposed;

    private ProxyServer(Socket socket, ProxyResolver resolver, ClientRoute route, ProxyServerOptions options, ILogger logger)
    {
        _socket = socket;
        _resolver = resolver;
        Options = options;
        Logger = logger;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _allowed = [.. options.AllowedClients.Select(Network)];
        _handler = new ProxyNetHandler(route, new RouteTransportPool(TransportSettings.Default), new WarningLedger(), logger, ownsPool: true);
        Invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
        Connector = new RouteConnector(route, logger);
        ViaName = $"proxynet-{Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant()}";
        _accepting = Task.Run(() => _loop.RunAsync(_socket, client => Allowed(client) && _loop.Count < Options.MaxConnections, ServeAsync, _stop.Token));
    }

    /// <summary>Where clients connect (the OS's port when 0 was asked).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Client connections open now.</summary>
    public int ActiveConnections => _loop.Count;

    /// <summary>CONNECT tunnels open now.</summary>
    public int ActiveTunnels => Volatile.Read(ref _tunnels);

    /// <summary>Requests received since the start (CONNECTs included, refused ones too).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    internal ProxyServerOptions Options { get; }

    internal ILogger Logger { get; }

    internal HttpMessageInvoker Invoker { get; }

    internal RouteConnector Connector { get; }

    /// <summary>This server's name in <c>Via</c>: a request that already carries it has come round in a loop.</summary>
    internal string ViaName { get; }

    /// <summary>Starts listening on <see cref="ProxyServerOptions.LocalEndPoint"/>.</summary>
    /// <param name="resolver">Decides every request's and tunnel's route.</param>
    /// <param name="options">Where to listen, the token, the bounds; null for loopback port 3128 without a token.</param>
    /// <param name="logger">Receives upstream failures, failovers and the library's routing logs; null for none.</param>
    /// <exception cref="ArgumentException">A non-loopback address without <see cref="ProxyServerOptions.AllowedClients"/>, or an allowed entry that is not CIDR.</exception>
    /// <exception cref="SocketException">The address cannot be bound (in use, not this machine's).</exception>
    public static Task<ProxyServer> StartAsync(ProxyResolver resolver, ProxyServerOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        options ??= new ProxyServerOptions();
        if (!IPAddress.IsLoopback(options.LocalEndPoint.Address) && options.AllowedClients.Count == 0)
        {
            throw new ArgumentException($"listening on {options.LocalEndPoint} (not loopback) needs ProxyServerOptions.AllowedClients: the address ranges that may use the upstream logins", nameof(options));
        }

        _ = options.AllowedClients.Select(Network).ToList();
        var socket = ConnectionLoop.Listen(options.LocalEndPoint, 1024);
        var route = new ClientRoute(resolver, new ProxyClientOptions { FollowRedirects = false }, new ProxyFailover(), "serve");
        return Task.FromResult(new ProxyServer(socket, resolver, route, options, logger ?? NullLogger.Instance));
    }

    private static IPNetwork Network(string entry) =>
        IPNetwork.TryParse(entry.Contains('/') ? entry : IPAddress.TryParse(entry, out var single) ? $"{single}/{(single.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)}" : entry, out var network)
            ? network
            : throw new ArgumentException($"ProxyServerOptions.AllowedClients: '{entry}' is not an address or a CIDR range", nameof(entry));

    private async Task ServeAsync(Socket client)
    {
        ProxyNetTelemetry.ServeConnections.Add(1);
        try
        {
            await new ServerConnection(this, client, _stop.Token).RunAsync().ConfigureAwait(false);
        }
        finally
        {
            ProxyNetTelemetry.ServeConnections.Add(-1);
        }
    }

    private bool Allowed(Socket client)
    {
        var address = (client.RemoteEndPoint as IPEndPoint)?.Address;
        if (address is null)
        {
            return false;
        }

        address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return IPAddress.IsLoopback(address) || _allowed.Any(n => n.Contains(address));
    }

    internal void CountRequest()
    {
        Interlocked.Increment(ref _requests);
        ProxyNetTelemetry.ServeRequests.Add(1);
    }

    internal void CountTunnel(int delta)
    {
        Interlocked.Add(ref _tunnels, delta);
        ProxyNetTelemetry.ServeTunnels.Add(delta);
    }

    /// <summary>The browsers' PAC script, naming this server as a client reached it (its Host header) when it listens on every address.</summary>
    internal string PacScript(string? host)
    {
        var address = LocalEndPoint.Address;
        string authority = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)
            ? (host is not null && host.Contains(':') && Destination.IsHost(host.Replace("[", string.Empty, StringComparison.Ordinal).Replace("]", string.Empty, StringComparison.Ordinal)) ? host : $"127.0.0.1:{LocalEndPoint.Port}")
            : LocalEndPoint.ToString();
        return ClientPac.Build(_resolver.Settings.Bypass, authority);
    }

    /// <summary>Stops accepting, lets requests and tunnels in flight finish for <see cref="ProxyServerOptions.DrainTimeout"/>, then closes them.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _socket.Dispose();
        try
        {
            await _loop.All.WaitAsync(Options.DrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // What is still open after the drain is closed below.
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _accepting.ConfigureAwait(false);
        await _loop.All.ConfigureAwait(false);
        Invoker.Dispose();
        _handler.Dispose();
        _stop.Dispose();
    }
}
