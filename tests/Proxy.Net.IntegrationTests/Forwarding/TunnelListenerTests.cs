using System.Net;
using System.Net.Sockets;
using System.Text;
using ProxyNet.Forwarding;
using ProxyNet.IntegrationTests.Servers;
using ProxyNet.Resolution;
using ProxyNet.Tests.Cli;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.IntegrationTests.Forwarding;

/// <summary>
/// <see cref="ProxyTunnelListener"/> and <c>proxynet tunnel</c> in front of real squid: every connection its own
/// CONNECT (squid's log names the user), NO_PROXY <c>host:port</c> goes direct, a refused port is one line and a closed
/// client, a dead proxy fails over, 200 connections at once all end closed.
/// </summary>
public sealed class TunnelListenerTests
{
    private const string User = "alice";
    private const string Password = "p@ss w0rd";

    /// <summary>
    /// An echo service: "echo:" and the first line it got, then it closes. With <paramref name="untilEnd"/>, it answers
    /// what it got once the client half-closes instead (squid closes a whole tunnel on a half-close, so only a DIRECT
    /// forward can show that one).
    /// </summary>
    private static ScriptedServer Echo(bool untilEnd = false) => new(async (stream, _) =>
    {
        var received = new MemoryStream();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1 && (untilEnd || one[0] != '\n'))
        {
            received.WriteByte(one[0]);
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes("echo:" + Encoding.ASCII.GetString(received.ToArray())));
    });

    [Fact]
    public async Task Each_connection_gets_its_own_logged_in_tunnel()
    {
        await using var squid = await SquidServer.StartAsync(User, Password);
        await using var echo = Echo();
        var resolver = ProxyResolver.Create(new ProxyNetOptions { HttpsProxy = squid.Url, Username = User, Password = Password, UseEnvironment = false });
        await using var forward = await ProxyTunnelListener.StartAsync(resolver, "127.0.0.1", echo.Port);

        Assert.Equal(IPAddress.Loopback, forward.LocalEndPoint.Address);
        Assert.Equal("echo:one", await ExchangeAsync(forward.LocalEndPoint, "one"));
        Assert.Equal("echo:two", await ExchangeAsync(forward.LocalEndPoint, "two"));

        var lines = await squid.WaitForAsync($"127.0.0.1:{echo.Port}", l => l.Count(r => r.Status == "200") >= 2);
        Assert.Equal(2, lines.Count(r => r.Method == "CONNECT" && r.Status == "200" && r.User == User));
    }

    [Fact]
    public async Task A_no_proxy_host_and_port_goes_direct_squid_sees_nothing_and_half_close_is_honoured()
    {
        await using var squid = await SquidServer.StartAsync();
        await using var echo = Echo(untilEnd: true);
        var resolver = ProxyResolver.Create(new ProxyNetOptions { HttpsProxy = squid.Url, ExcludedDomains = { $"127.0.0.1:{echo.Port}" }, UseEnvironment = false });
        await using var forward = await ProxyTunnelListener.StartAsync(resolver, "127.0.0.1", echo.Port);

        Assert.Equal("echo:direct\nand more", await ExchangeAsync(forward.LocalEndPoint, "direct\nand more", halfClose: true));
        Assert.True(forward.Route.IsDirect);
        Assert.DoesNotContain($"127.0.0.1:{echo.Port}", squid.AccessLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_port_is_one_line_naming_proxy_destination_and_status_and_the_client_is_closed()
    {
        await using var squid = await SquidServer.StartAsync(extraConfig: "acl blocked port 1-65535\nhttp_access deny CONNECT blocked");
        await using var echo = Echo();
        var failures = new List<string>();
        var resolver = ProxyResolver.Create(new ProxyNetOptions { HttpsProxy = squid.Url, UseEnvironment = false });
        await using var forward = await ProxyTunnelListener.StartAsync(resolver, "127.0.0.1", echo.Port, new ProxyTunnelListenerOptions { Failed = failures.Add });

        using var client = new TcpClient();
        await client.ConnectAsync(forward.LocalEndPoint);
        var buffer = new byte[16];
        int read = await client.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, read);
        string line = Assert.Single(failures);
        Assert.Contains(squid.Url, line, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{echo.Port}", line, StringComparison.Ordinal);
        Assert.Contains("403", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dead_proxy_with_a_second_one_listed_fails_over()
    {
        await using var squid = await SquidServer.StartAsync();
        await using var echo = Echo();
        var engine = new Tests.Pac.FakeEngine { Current = new Tests.Pac.FakeEngine.Script((_, _) => $"PROXY 127.0.0.1:{Ports.Closed()}; PROXY 127.0.0.1:{squid.Port}") };
        var resolver = ProxyResolver.Create(new ProxyNetOptions { PacUrl = "http://wpad.test/proxy.pac", UseEnvironment = false }, engine);
        await using var forward = await ProxyTunnelListener.StartAsync(resolver, "127.0.0.1", echo.Port);

        Assert.Equal("echo:failover", await ExchangeAsync(forward.LocalEndPoint, "failover"));
        Assert.Contains($"CONNECT 127.0.0.1:{echo.Port}", squid.AccessLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_hundred_connections_at_once_each_get_a_tunnel_and_all_end_closed()
    {
        await using var squid = await SquidServer.StartAsync(extraConfig: "max_filedescriptors 4096");
        await using var echo = Echo();
        var resolver = ProxyResolver.Create(new ProxyNetOptions { HttpsProxy = squid.Url, UseEnvironment = false });
        await using var forward = await ProxyTunnelListener.StartAsync(resolver, "127.0.0.1", echo.Port);

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => ExchangeAsync(forward.LocalEndPoint, $"n{i}"))).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"echo:n{i}"), answers);
        var lines = await squid.WaitForAsync($"127.0.0.1:{echo.Port}", l => l.Count(r => r.Status == "200") >= 200);
        Assert.Equal(200, lines.Select(r => r.ClientPort).Distinct().Count());
        await WaitUntil(() => forward.ActiveConnections == 0);
    }

    [Fact]
    public async Task A_client_that_vanishes_mid_stream_frees_its_tunnel()
    {
        await using var squid = await SquidServer.StartAsync();
        await using var silent = new ScriptedServer(async (stream, _) => await stream.CopyToAsync(Stream.Null));
        var resolver = ProxyResolver.Create(new ProxyNetOptions { HttpsProxy = squid.Url, UseEnvironment = false });
        await using var forward = await ProxyTunnelListener.StartAsync(resolver, "127.0.0.1", silent.Port);

        var client = new TcpClient();
        await client.ConnectAsync(forward.LocalEndPoint);
        await client.GetStream().WriteAsync(new byte[1000]);
        await WaitUntil(() => forward.ActiveConnections == 1);
        client.Client.LingerState = new LingerOption(true, 0);
        client.Dispose();

        await WaitUntil(() => forward.ActiveConnections == 0);
    }

    [Fact]
    public async Task Proxynet_tunnel_prints_one_ready_line_per_forward_and_stops_on_SIGTERM()
    {
        await using var squid = await SquidServer.StartAsync();
        await using var echo = Echo();
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { CliRunner.CliPath, "tunnel", $"0:127.0.0.1:{echo.Port}", $"127.0.0.1:0:localhost:{echo.Port}" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HTTPS_PROXY"] = $"http://alice:s3cret-pw@127.0.0.1:{squid.Port}";
        start.Environment["NO_PROXY"] = $"localhost:{echo.Port}";
        using var process = System.Diagnostics.Process.Start(start)!;
        string first = (await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)))!;
        string second = (await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)))!;

        Assert.Matches($@"^127\.0\.0\.1:\d+ -> 127\.0\.0\.1:{echo.Port} via http://127\.0\.0\.1:{squid.Port}$", first);
        Assert.Matches($@"^127\.0\.0\.1:\d+ -> localhost:{echo.Port} via DIRECT \(NO_PROXY entry localhost:{echo.Port}\)$", second);
        var local = IPEndPoint.Parse(first.Split(' ')[0]);
        Assert.Equal("echo:cli", await ExchangeAsync(local, "cli"));

        ServeTests.Kill(process.Id, "TERM");
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, process.ExitCode);
        Assert.DoesNotContain("s3cret-pw", first + second + await process.StandardError.ReadToEndAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("6543", "is not [BIND:]LOCAL_PORT:HOST:PORT")]
    [InlineData("x:db:5432", "the local port 'x' is not a number")]
    [InlineData("6543:db:0", "the port '0' is not a number from 1 to 65535")]
    [InlineData("nothere:6543:db:5432", "the bind address 'nothere' is not an IP address")]
    public async Task A_bad_forward_is_usage_in_words(string spec, string words)
    {
        var (exit, _, stderr) = await CliRunner.RunAsync(string.Empty, ["tunnel", spec]);

        Assert.Equal(2, exit);
        Assert.Contains(words, stderr, StringComparison.Ordinal);
    }

    private static async Task<string> ExchangeAsync(IPEndPoint endPoint, string text, bool halfClose = false)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(endPoint);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(halfClose ? text : text + "\n"));
        if (halfClose)
        {
            client.Client.Shutdown(SocketShutdown.Send);
        }

        var received = new MemoryStream();
        await stream.CopyToAsync(received).WaitAsync(TimeSpan.FromSeconds(60));
        return Encoding.ASCII.GetString(received.ToArray());
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            await Task.Delay(20, limit.Token);
        }
    }
}
