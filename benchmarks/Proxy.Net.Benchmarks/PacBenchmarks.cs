using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using ProxyNet.Pac;
using ProxyNet.Resolution;

namespace ProxyNet.Benchmarks;

/// <summary>
/// PAC decisions over 64 URLs (half match a rule): .NET's environment proxy (the baseline), Proxy.Net's environment
/// decision, a cached PAC decision (the goal: about what an environment decision costs), and an uncached call of a
/// typical 200-rule script (100 <c>shExpMatch</c>, 60 <c>dnsDomainIs</c>, 40 <c>isInNet</c> on IP literals).
/// </summary>
[MemoryDiagnoser]
public class PacBenchmarks
{
    private const string Proxy = "http://proxy.corp:3128";
    private readonly string _dir = Directory.CreateTempSubdirectory("proxynet-pac-bench-").FullName;
    private Uri[] _urls = null!;
    private (string Url, string Host)[] _inputs = null!;
    private IWebProxy _builtIn = null!;
    private ProxyResolver _environment = null!;
    private ProxyResolver _pac = null!;
    private ProxyAutoConfig _engine = null!;
    private IProxyAutoConfigScript _script = null!;

    [GlobalSetup]
    public void Setup()
    {
        string path = Path.Combine(_dir, "corporate.pac");
        File.WriteAllText(path, Script());
        _urls = [.. Enumerable.Range(0, 64).Select(i => new Uri(i % 2 == 0 ? $"https://app{i % 100}.internal{i % 60}.corp/x" : $"https://site{i}.example.net/path"))];
        _inputs = [.. _urls.Select(u => ($"{u.Scheme}://{u.Host}/", u.Host))];

        Environment.SetEnvironmentVariable("HTTPS_PROXY", Proxy);
        Environment.SetEnvironmentVariable("NO_PROXY", "*.corp");
        _builtIn = HttpClient.DefaultProxy;
        _environment = ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false, HttpsProxy = Proxy, ExcludedDomains = ["*.corp"] });
        _engine = new ProxyAutoConfig();
        _pac = ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false, PacUrl = path }, _engine);
        _script = _engine.Load(path);
        foreach (var uri in _urls)
        {
            _ = _pac.Resolve(uri);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _engine.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 64)]
    public int BuiltInEnvironmentProxy()
    {
        int proxied = 0;
        foreach (var uri in _urls)
        {
            if (!_builtIn.IsBypassed(uri) && _builtIn.GetProxy(uri) is not null)
            {
                proxied++;
            }
        }

        return proxied;
    }

    [Benchmark(OperationsPerInvoke = 64)]
    public int EnvironmentDecision()
    {
        int proxied = 0;
        foreach (var uri in _urls)
        {
            if (_environment.Resolve(uri).Proxy is not null)
            {
                proxied++;
            }
        }

        return proxied;
    }

    [Benchmark(OperationsPerInvoke = 64)]
    public int CachedPacDecision()
    {
        int proxied = 0;
        foreach (var uri in _urls)
        {
            if (_pac.Resolve(uri).Proxy is not null)
            {
                proxied++;
            }
        }

        return proxied;
    }

    [Benchmark(OperationsPerInvoke = 64)]
    public int UncachedPacCall200Rules()
    {
        int length = 0;
        foreach (var (url, host) in _inputs)
        {
            length += _script.FindProxyForUrl(url, host).Length;
        }

        return length;
    }

    private static string Script()
    {
        var text = new StringBuilder("function FindProxyForURL(url, host) {\n  host = host.toLowerCase();\n");
        for (int i = 0; i < 100; i++)
        {
            text.Append($"  if (shExpMatch(host, \"app{i}.*.corp\")) return \"DIRECT\";\n");
        }

        for (int i = 0; i < 60; i++)
        {
            text.Append($"  if (dnsDomainIs(host, \".partner{i}.com\")) return \"PROXY partner-proxy.corp:8080\";\n");
        }

        text.Append("  if (/^\\d+\\.\\d+\\.\\d+\\.\\d+$/.test(host)) {\n");
        for (int i = 0; i < 40; i++)
        {
            text.Append($"    if (isInNet(host, \"10.{i}.0.0\", \"255.255.0.0\")) return \"DIRECT\";\n");
        }

        text.Append("  }\n  return \"PROXY proxy.corp:3128; PROXY backup.corp:3128; DIRECT\";\n}\n");
        return text.ToString();
    }
}
