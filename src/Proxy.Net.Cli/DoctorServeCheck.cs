using System.Net;
using System.Net.Sockets;
using System.Text;
using static ProxyNet.Cli.DoctorCommand;

namespace ProxyNet.Cli;

/// <summary>
/// Whether a proxy on a loopback address is a running <c>proxynet serve</c>, and whether it takes the token the proxy
/// URL carries. Two requests that go nowhere upstream: an origin-form request serve answers itself (its 404 carries
/// <c>Via: 1.1 proxynet-XXXXXX</c>), then an absolute-form request with the token and serve's own Via name, which
/// serve checks in that order: 407 when the token is refused, 508 (a loop) when it is accepted.
/// </summary>
internal static class DoctorServeCheck
{
    private const string ViaPrefix = "1.1 proxynet-";

    public static async Task RunAsync(List<Check> checks, ProxyEndpoint proxy, TimeSpan timeout)
    {
        if (proxy.Scheme != "http" || !IsLoopback(proxy.Host))
        {
            return;
        }

        string authority = proxy.Host.Contains(':', StringComparison.Ordinal) ? $"[{proxy.Host}]:{proxy.Port}" : $"{proxy.Host}:{proxy.Port}";
        string? name;
        try
        {
            var (_, via) = await AskAsync(proxy, $"GET /proxynet-doctor HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n", timeout);
            name = via?.Split(',').Select(v => v.Trim()).FirstOrDefault(v => v.StartsWith(ViaPrefix, StringComparison.Ordinal))?[4..];
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or FormatException)
        {
            // Not answering HTTP here is the TCP and CONNECT checks' to report.
            return;
        }

        if (name is null)
        {
            return;
        }

        string login = proxy.Credentials is { } credentials
            ? $"Proxy-Authorization: Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.UserName}:{credentials.Password}"))}\r\n"
            : string.Empty;
        int status;
        try
        {
            (status, _) = await AskAsync(proxy, $"GET http://proxynet-doctor.invalid/ HTTP/1.1\r\nHost: proxynet-doctor.invalid\r\n{login}Via: 1.1 {name}\r\nConnection: close\r\n\r\n", timeout);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or FormatException)
        {
            checks.Add(new($"proxy {proxy}", Verdict.Warn, $"is proxynet serve ({name}); the token could not be checked: {(e is OperationCanceledException ? "no answer in time" : e.Message)}"));
            return;
        }

        bool given = proxy.Credentials is not null;
        checks.Add((status, given) switch
        {
            (508, true) => new($"proxy {proxy}", Verdict.Ok, $"is proxynet serve ({name}; token in the proxy URL: accepted); the checks below go through it to its upstream"),
            (508, false) => new($"proxy {proxy}", Verdict.Ok, $"is proxynet serve ({name}; no token given, and this serve asks for none: --no-client-auth)"),
            (407, true) => new($"proxy {proxy}", Verdict.Fail, $"is proxynet serve ({name}; token in the proxy URL: refused): it is not the one in serve's --token-file; print the variables again with proxynet env --serve {authority}"),
            (407, false) => new($"proxy {proxy}", Verdict.Fail, $"is proxynet serve ({name}; no token given): serve answers 407 without it; set the variables with proxynet env --serve {authority}"),
            _ => new($"proxy {proxy}", Verdict.Warn, $"is proxynet serve ({name}); the token check got an unexpected {status}"),
        });
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);

    /// <summary>Sends one request head; returns the answer's status and its <c>Via</c> header.</summary>
    private static async Task<(int Status, string? Via)> AskAsync(ProxyEndpoint proxy, string request, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await using var stream = await DoctorCommand.ConnectAsync(proxy.Host, proxy.Port, cancel.Token);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancel.Token);
        var head = new StringBuilder();
        var buffer = new byte[4096];
        while (head.Length < 32 * 1024 && !head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            int read = await stream.ReadAsync(buffer, cancel.Token);
            if (read == 0)
            {
                break;
            }

            head.Append(Encoding.Latin1.GetString(buffer, 0, read));
        }

        string[] lines = head.ToString().Split("\r\n");
        string[] statusLine = lines[0].Split(' ', 3);
        if (!lines[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || statusLine.Length < 2 || !int.TryParse(statusLine[1], System.Globalization.CultureInfo.InvariantCulture, out int status))
        {
            throw new FormatException("the answer is not HTTP");
        }

        string? via = lines.Skip(1).TakeWhile(l => l.Length > 0)
            .Where(l => l.StartsWith("Via:", StringComparison.OrdinalIgnoreCase))
            .Select(l => l["Via:".Length..].Trim())
            .FirstOrDefault();
        return (status, via);
    }
}
