using System.Diagnostics;
using System.Net;
using ProxyNet.Http;
using ProxyNet.Resolution;

namespace ProxyNet.Benchmarks;

/// <summary>
/// An interleaved A/B check of the handler against a plain SocketsHttpHandler (<c>--ab ROUNDS</c>): batches of
/// requests alternate between the two clients so that machine noise hits both alike; prints the median time and
/// the median bytes allocated per request (the whole process: the origin and squid run in other processes).
/// </summary>
internal static class AbRun
{
    public static async Task RunAsync(int rounds, int squidPort, int originPort)
    {
        string proxy = $"http://127.0.0.1:{squidPort}";
        var resolver = ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false, HttpProxy = proxy, ExcludedDomains = ["localhost"] });
        using var proxyNet = new HttpClient(ProxyNetHandler.Create(resolver));
        using var plain = new HttpClient(new SocketsHttpHandler { UseProxy = true, Proxy = new WebProxy(new Uri(proxy), false, [@"^http://localhost(:\d+)?$"]), UseCookies = false });
        foreach (var (name, uri) in new[] { ("proxied", new Uri($"http://127.0.0.1:{originPort}/ab")), ("bypassed", new Uri($"http://localhost:{originPort}/ab")) })
        {
            var (a, b, bytesA, bytesB) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
            for (int round = 0; round < rounds; round++)
            {
                var (time, bytes) = await BatchAsync(plain, uri);
                a.Add(time);
                bytesA.Add(bytes);
                (time, bytes) = await BatchAsync(proxyNet, uri);
                b.Add(time);
                bytesB.Add(bytes);
            }

            double ma = Median(a), mb = Median(b);
            Console.WriteLine($"{name,-9} plain {ma,8:0.0} us {Median(bytesA),6:0} B  Proxy.Net {mb,8:0.0} us {Median(bytesB),6:0} B  requests/s ratio {ma / mb:0.00}x");
        }
    }

    private static async Task<(double Microseconds, double Bytes)> BatchAsync(HttpClient client, Uri uri)
    {
        const int Count = 300;
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Count; i++)
        {
            await client.GetStringAsync(uri);
        }

        double elapsed = clock.Elapsed.TotalMicroseconds / Count;
        return (elapsed, (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)Count);
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
