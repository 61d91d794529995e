using System.Net;
using System.Net.Sockets;
using System.Text;
using BenchmarkDotNet.Attributes;
using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Tunnel;

namespace ProxyNet.Benchmarks;

/// <summary>
/// Tunnel setups through a real squid with Basic login: today's <see cref="ProxyTunnel"/> (the 407 and the login on
/// one connection) against the former way (the 407 on one connection, the login on a second one), reproduced here.
/// Each operation opens the tunnel to a loopback listener and closes it.
/// </summary>
[MemoryDiagnoser]
public class TunnelLoginBenchmarks
{
    private const string User = "bench";
    private const string Password = "bench-pw";

    private SquidServer _squid = null!;
    private TcpListener _target = null!;
    private CancellationTokenSource _stop = null!;
    private ProxyTunnelOptions _options = null!;
    private Uri _proxy = null!;
    private int _port;

    [GlobalSetup]
    public void Setup()
    {
        _squid = SquidServer.StartAsync(User, Password).GetAwaiter().GetResult();
        _target = new TcpListener(IPAddress.Loopback, 0);
        _target.Start(512);
        _port = ((IPEndPoint)_target.LocalEndpoint).Port;
        _stop = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    (await _target.AcceptSocketAsync(_stop.Token)).Dispose();
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }
            }
        });
        _proxy = new Uri(_squid.Url);
        _options = new ProxyTunnelOptions { Credentials = new NetworkCredential(User, Password) };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop.Cancel();
        _target.Stop();
        _squid.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true)]
    public async Task TwoConnections_Before()
    {
        string authority = $"127.0.0.1:{_port}";
        using (var first = await ConnectAsync())
        {
            string answer = await ExchangeAsync(first, $"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n");
            if (!answer.StartsWith("HTTP/1.1 407", StringComparison.Ordinal))
            {
                throw new InvalidOperationException(answer);
            }
        }

        using var second = await ConnectAsync();
        string token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        string reply = await ExchangeAsync(second, $"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\nProxy-Authorization: Basic {token}\r\n\r\n");
        if (!reply.StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(reply);
        }
    }

    [Benchmark]
    public async Task OneConnection_ProxyTunnel()
    {
        await using var stream = await ProxyTunnel.ConnectAsync(_proxy, "127.0.0.1", _port, _options);
    }

    /// <summary>
    /// <c>--tunnel-ab ROUNDS</c>: batches of 200 tunnels alternate between the two ways, so the machine's drift hits
    /// both alike; prints the median time per tunnel of each and the ratio.
    /// </summary>
    public static async Task RunAbAsync(int rounds)
    {
        var bench = new TunnelLoginBenchmarks();
        bench.Setup();
        try
        {
            var before = new List<double>();
            var now = new List<double>();
            for (int i = 0; i < 200; i++)
            {
                await bench.TwoConnections_Before();
                await bench.OneConnection_ProxyTunnel();
            }

            for (int round = 0; round < rounds; round++)
            {
                before.Add(await TimeAsync(bench.TwoConnections_Before));
                now.Add(await TimeAsync(bench.OneConnection_ProxyTunnel));
            }

            double b = Median(before), n = Median(now);
            Console.WriteLine(FormattableString.Invariant($"two connections (before): {b:0.0} us/tunnel ({1e6 / b:0}/s); one connection (ProxyTunnel): {n:0.0} us/tunnel ({1e6 / n:0}/s); tunnels/s ratio {b / n:0.00}x; {rounds} rounds of 200"));
        }
        finally
        {
            bench.Cleanup();
        }

        static async Task<double> TimeAsync(Func<Task> tunnel)
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            for (int i = 0; i < 200; i++)
            {
                await tunnel();
            }

            return System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMicroseconds / 200;
        }

        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
    }

    private async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, _squid.Port);
        return socket;
    }

    /// <summary>Sends a request and reads the answer's head (and, as the old code did, nothing of a body: the socket is dropped).</summary>
    private static async Task<string> ExchangeAsync(Socket socket, string request)
    {
        await socket.SendAsync(Encoding.ASCII.GetBytes(request));
        var buffer = new byte[16384];
        int filled = 0;
        while (true)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(filled));
            if (n == 0)
            {
                break;
            }

            filled += n;
            if (buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8) >= 0)
            {
                break;
            }
        }

        return Encoding.ASCII.GetString(buffer, 0, filled);
    }
}
