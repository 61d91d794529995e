using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ProxyNet.Tests.Fakes;

/// <summary>
/// A small forward proxy on 127.0.0.1 that records every request it sees (absolute-form requests and CONNECT),
/// optionally demands Basic credentials, and forwards to the origin. It is the "fake proxy's record" that
/// unit-level routing tests read; the integration tests read real squid's access log instead.
/// </summary>
internal sealed class RecordingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly ConcurrentQueue<Exception> _failures = new();

    public RecordingProxy(string? user = null, string? password = null)
    {
        RequiredAuthorization = user is null ? null : "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Url => $"http://127.0.0.1:{Port}";

    public string? RequiredAuthorization { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
        if (!_failures.IsEmpty)
        {
            throw new AggregateException("The recording proxy failed while serving a request", _failures);
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        try
        {
            while (true)
            {
                var head = await ReadHeadAsync(stream);
                if (head is null)
                {
                    return;
                }

                string[] lines = head.Split("\r\n");
                string[] requestLine = lines[0].Split(' ');
                var headers = lines.Skip(1).Where(l => l.Contains(':'))
                    .Select(l => (Name: l[..l.IndexOf(':')].Trim(), Value: l[(l.IndexOf(':') + 1)..].Trim()))
                    .ToList();
                string? auth = headers.FirstOrDefault(h => h.Name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase)).Value;
                Requests.Enqueue(new RecordedRequest(requestLine[0], requestLine[1], auth));
                if (RequiredAuthorization is not null && auth != RequiredAuthorization)
                {
                    await WriteAsync(stream, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"fake\"\r\nContent-Length: 0\r\n\r\n");
                    continue;
                }

                if (requestLine[0] == "CONNECT")
                {
                    await TunnelAsync(stream, requestLine[1]);
                    return;
                }

                await ForwardAsync(stream, requestLine, headers);
                return;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The client hung up: the connection is over.
        }
        catch (Exception e)
        {
            // Anything else is a bug in this fake or a request it cannot read: the test that started it fails.
            _failures.Enqueue(e);
        }
    }

    private static async Task TunnelAsync(NetworkStream stream, string target)
    {
        int colon = target.LastIndexOf(':');
        using var upstream = new TcpClient();
        await upstream.ConnectAsync(target[..colon].Trim('[', ']'), int.Parse(target[(colon + 1)..]));
        await WriteAsync(stream, "HTTP/1.1 200 Connection established\r\n\r\n");
        var up = upstream.GetStream();
        await Task.WhenAny(stream.CopyToAsync(up), up.CopyToAsync(stream));
    }

    private static async Task ForwardAsync(NetworkStream stream, string[] requestLine, List<(string Name, string Value)> headers)
    {
        var target = new Uri(requestLine[1]);
        using var upstream = new TcpClient();
        await upstream.ConnectAsync(target.IdnHost, target.Port);
        var up = upstream.GetStream();
        var head = new StringBuilder($"{requestLine[0]} {target.PathAndQuery} {requestLine[2]}\r\n");
        foreach (var (name, value) in headers)
        {
            if (!name.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase) && !name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                head.Append($"{name}: {value}\r\n");
            }
        }

        head.Append("Connection: close\r\n\r\n");
        await WriteAsync(up, head.ToString());
        string? length = headers.FirstOrDefault(h => h.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Value;
        if (length is not null && int.TryParse(length, out int n) && n > 0)
        {
            var body = new byte[n];
            await stream.ReadExactlyAsync(body);
            await up.WriteAsync(body);
        }

        await up.CopyToAsync(stream);
    }

    private static async Task<string?> ReadHeadAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (buffer.Count < 65536)
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return null;
            }

            buffer.Add(one[0]);
            int c = buffer.Count;
            if (c >= 4 && buffer[c - 4] == '\r' && buffer[c - 3] == '\n' && buffer[c - 2] == '\r' && buffer[c - 1] == '\n')
            {
                return Encoding.ASCII.GetString(buffer.ToArray(), 0, c - 4);
            }
        }

        return null;
    }

    private static Task WriteAsync(Stream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();
}

internal sealed record RecordedRequest(string Method, string Target, string? ProxyAuthorization);
