using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ProxyNet.Benchmarks;
using ProxyNet.IntegrationTests.Servers;

// "--origin PORT": serve the handler benchmarks' origin (a separate process, so its work is not measured).
if (args is ["--origin", var portText])
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    builder.WebHost.UseUrls($"http://127.0.0.1:{portText}");
    var app = builder.Build();
    app.Run(context => context.Response.WriteAsync("hello from the benchmark origin"));
    await app.RunAsync();
    return 0;
}

// "--tunnel-ab ROUNDS": the interleaved tunnel-login comparison (starts its own squid with a Basic login).
if (args is ["--tunnel-ab", var roundsText])
{
    await TunnelLoginBenchmarks.RunAbAsync(int.Parse(roundsText, CultureInfo.InvariantCulture));
    return 0;
}

// The handler benchmarks need real servers: squid and the origin, started here and inherited by BenchmarkDotNet's children.
int soak = args is ["--soak", var n] ? int.Parse(n, CultureInfo.InvariantCulture) : 0;
int ab = args is ["--ab", var r] ? int.Parse(r, CultureInfo.InvariantCulture) : 0;
bool handlers = soak > 0 || ab > 0 || args.Any(a => a.Contains("Handler", StringComparison.Ordinal)) || args.Contains("*");
SquidServer? squid = null;
Process? origin = null;
if (handlers)
{
    squid = await SquidServer.StartAsync();
    int originPort = ServerProcess.FreePort();
    origin = Process.Start(new ProcessStartInfo("dotnet", [typeof(HandlerBenchmarks).Assembly.Location, "--origin", originPort.ToString(CultureInfo.InvariantCulture)]))!;
    using (var probe = new HttpClient())
    {
        for (int i = 0; ; i++)
        {
            try
            {
                await probe.GetStringAsync(new Uri($"http://127.0.0.1:{originPort}/"));
                break;
            }
            catch (HttpRequestException) when (i < 100)
            {
                await Task.Delay(100);
            }
        }
    }

    // Warm the origin and squid up, so the first benchmark does not pay for their start.
    using (var warm = new HttpClient(new SocketsHttpHandler { Proxy = new System.Net.WebProxy($"http://127.0.0.1:{squid.Port}") }))
    {
        for (int i = 0; i < 3000; i++)
        {
            await warm.GetStringAsync(new Uri($"http://127.0.0.1:{originPort}/warm"));
        }
    }

    Environment.SetEnvironmentVariable(HandlerBenchmarks.SquidPortVariable, squid.Port.ToString(CultureInfo.InvariantCulture));
    Environment.SetEnvironmentVariable(HandlerBenchmarks.OriginPortVariable, originPort.ToString(CultureInfo.InvariantCulture));
}

try
{
    if (ab > 0)
    {
        await AbRun.RunAsync(ab, squid!.Port, int.Parse(Environment.GetEnvironmentVariable(HandlerBenchmarks.OriginPortVariable)!, CultureInfo.InvariantCulture));
    }
    else if (soak > 0)
    {
        await Soak.RunAsync(soak, squid!.Port, int.Parse(Environment.GetEnvironmentVariable(HandlerBenchmarks.OriginPortVariable)!, CultureInfo.InvariantCulture));
    }
    else
    {
        BenchmarkSwitcher.FromAssembly(typeof(HandlerBenchmarks).Assembly).Run(args);
    }
}
finally
{
    origin?.Kill(entireProcessTree: true);
    origin?.Dispose();
    if (squid is not null)
    {
        await squid.DisposeAsync();
    }
}

return 0;
