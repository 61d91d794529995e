using System.Globalization;
using System.Net;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using ProxyNet.Http;
using ProxyNet.Resolution;

namespace ProxyNet.Benchmarks;

/// <summary>
/// One GET through a real squid on 127.0.0.1 to a local origin (both out of process, started by Program),
/// Proxy.Net's handler against a plain SocketsHttpHandler with a WebProxy, for proxied and bypassed hosts.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class HandlerBenchmarks
{
    public const string SquidPortVariable = "PROXYNET_BENCH_SQUID_PORT";
    public const string OriginPortVariable = "PROXYNET_BENCH_ORIGIN_PORT";

    private HttpClient _proxyNet = null!;
    private HttpClient _plain = null!;
    private Uri _proxied = null!;
    private Uri _bypassed = null!;

    [GlobalSetup]
    public void Setup()
    {
        int squid = Port(SquidPortVariable);
        int origin = Port(OriginPortVariable);
        string proxy = $"http://127.0.0.1:{squid}";
        _proxied = new Uri($"http://127.0.0.1:{origin}/hello");
        _bypassed = new Uri($"http://localhost:{origin}/hello");
        var resolver = ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false, HttpProxy = proxy, ExcludedDomains = ["localhost"] });
        _proxyNet = new HttpClient(ProxyNetHandler.Create(resolver));
        // A plain handler as users write it: redirects followed (as Proxy.Net does), no cookies (Proxy.Net keeps none).
        _plain = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = true,
            Proxy = new WebProxy(new Uri(proxy), false, [@"^http://localhost(:\d+)?$"]),
            UseCookies = false,
        });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _proxyNet.Dispose();
        _plain.Dispose();
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Proxied")]
    public Task<string> SocketsHttpHandler_Proxied() => _plain.GetStringAsync(_proxied);

    [Benchmark]
    [BenchmarkCategory("Proxied")]
    public Task<string> ProxyNet_Proxied() => _proxyNet.GetStringAsync(_proxied);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Bypassed")]
    public Task<string> SocketsHttpHandler_Bypassed() => _plain.GetStringAsync(_bypassed);

    [Benchmark]
    [BenchmarkCategory("Bypassed")]
    public Task<string> ProxyNet_Bypassed() => _proxyNet.GetStringAsync(_bypassed);

    private static int Port(string variable) =>
        int.Parse(Environment.GetEnvironmentVariable(variable) ?? throw new InvalidOperationException($"{variable} is not set: run the handler benchmarks through benchmarks/run"), CultureInfo.InvariantCulture);
}
