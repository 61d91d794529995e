using System.Diagnostics;
using ProxyNet.Http;
using ProxyNet.Resolution;

namespace ProxyNet.Benchmarks;

/// <summary>
/// A bounded soak: N requests through squid, half proxied and half bypassed, 8 at a time, printing managed memory,
/// working set and open descriptors every tenth of the run. Flat figures mean nothing leaks.
/// </summary>
internal static class Soak
{
    public static async Task RunAsync(int total, int squidPort, int originPort)
    {
        var resolver = ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false, HttpProxy = $"http://127.0.0.1:{squidPort}", ExcludedDomains = ["localhost"] });
        using var client = new HttpClient(ProxyNetHandler.Create(resolver));
        Uri[] targets = [new($"http://127.0.0.1:{originPort}/soak"), new($"http://localhost:{originPort}/soak")];
        Console.WriteLine($"{"requests",9} {"managed MB",11} {"working set MB",15} {"open fds",9} {"req/s",8}");
        var clock = Stopwatch.StartNew();
        int done = 0, failed = 0;
        int step = Math.Max(total / 10, 1);
        for (int batch = 0; batch < total; batch += step)
        {
            var lap = Stopwatch.StartNew();
            int count = Math.Min(step, total - batch);
            await Parallel.ForEachAsync(Enumerable.Range(batch, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            {
                try
                {
                    await client.GetStringAsync(targets[i % 2], ct);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failed);
                }
            });
            done += count;
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            Console.WriteLine($"{done,9} {GC.GetTotalMemory(true) / 1048576.0,11:0.0} {Environment.WorkingSet / 1048576.0,15:0.0} {Directory.GetFiles("/proc/self/fd").Length,9} {count / lap.Elapsed.TotalSeconds,8:0}");
        }

        Console.WriteLine($"{done} requests in {clock.Elapsed.TotalSeconds:0.0} s, {failed} failed");
    }
}
