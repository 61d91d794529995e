using System.Net;
using BenchmarkDotNet.Attributes;
using ProxyNet.Resolution;

namespace ProxyNet.Benchmarks;

/// <summary>
/// One lookup (averaged over 64 URLs, half hits) against RuleCount NO_PROXY entries: Proxy.Net's compiled
/// resolver, .NET's environment proxy (the baseline, timed as SocketsHttpHandler uses it), and WebProxy with regexes.
/// <see cref="ProxyNetPatterned"/> times Proxy.Net on the same number of patterned names (app-00001-prod …), which
/// must cost about what the random set costs.
/// </summary>
[MemoryDiagnoser]
public class BypassMatcherBenchmarks
{
    private const string Proxy = "http://proxy.corp:3128";
    private RuleSet _rules = null!;
    private ProxyResolver _resolver = null!;
    private RuleSet _patterned = null!;
    private ProxyResolver _patternedResolver = null!;
    private IWebProxy _builtIn = null!;
    private WebProxy _webProxy = null!;

    [Params(10, 100, 1000, 10000)]
    public int RuleCount { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _rules = RuleSet.Create(RuleCount);
        _resolver = ProxyResolver.Create(new ProxyNetOptions
        {
            UseEnvironment = false,
            HttpProxy = Proxy,
            HttpsProxy = Proxy,
            ExcludedDomains = [.. _rules.Entries],
        });

        _patterned = RuleSet.CreatePatterned(RuleCount);
        _patternedResolver = ProxyResolver.Create(new ProxyNetOptions
        {
            UseEnvironment = false,
            HttpProxy = Proxy,
            HttpsProxy = Proxy,
            ExcludedDomains = [.. _patterned.Entries],
        });

        // Set before the first use of DefaultProxy, which reads the environment once per process.
        Environment.SetEnvironmentVariable("HTTP_PROXY", Proxy);
        Environment.SetEnvironmentVariable("HTTPS_PROXY", Proxy);
        Environment.SetEnvironmentVariable("NO_PROXY", _rules.NoProxy);
        _builtIn = HttpClient.DefaultProxy;
        _webProxy = new WebProxy(new Uri(Proxy), false, [.. _rules.Regexes]);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 64)]
    public int BuiltInEnvironmentProxy()
    {
        int proxied = 0;
        foreach (var uri in _rules.Lookups)
        {
            if (!_builtIn.IsBypassed(uri) && _builtIn.GetProxy(uri) is not null)
            {
                proxied++;
            }
        }

        return proxied;
    }

    [Benchmark(OperationsPerInvoke = 64)]
    public int ProxyNet()
    {
        int proxied = 0;
        foreach (var uri in _rules.Lookups)
        {
            if (_resolver.Resolve(uri).Proxy is not null)
            {
                proxied++;
            }
        }

        return proxied;
    }

    [Benchmark(OperationsPerInvoke = 64)]
    public int ProxyNetPatterned()
    {
        int proxied = 0;
        foreach (var uri in _patterned.Lookups)
        {
            if (_patternedResolver.Resolve(uri).Proxy is not null)
            {
                proxied++;
            }
        }

        return proxied;
    }

    [Benchmark(OperationsPerInvoke = 64)]
    public int WebProxyBypassList()
    {
        int proxied = 0;
        foreach (var uri in _rules.Lookups)
        {
            if (!_webProxy.IsBypassed(uri) && _webProxy.GetProxy(uri) is not null)
            {
                proxied++;
            }
        }

        return proxied;
    }
}
