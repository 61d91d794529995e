using System.Collections.Concurrent;

namespace ProxyNet.Resolution;

/// <summary>
/// The <c>PacUrl</c> source of one compiled configuration: asks the script engine, maps its answer onto candidates
/// and caches the decision briefly per URL as the script sees it (per scheme, host and port for <c>https</c>), for
/// the script instance that answered: a changed script starts a fresh cache. Never DIRECT on a failure.
/// </summary>
internal sealed class PacSource : IDynamicProxySource
{
    /// <summary>Bounds the cache: a crawler over a million hosts must not grow it without end.</summary>
    private const int MaxEntries = 4096;

    private readonly IProxyAutoConfig? _engine;
    private readonly Action<string> _warn;
    private readonly long _answerTicks;
    private readonly long _errorTicks;
    private readonly ConcurrentDictionary<(string Scheme, string Host, int Port, string? Path), Entry> _cache = new();

    private readonly System.Net.Security.RemoteCertificateValidationCallback? _originValidation;
    private readonly TimeProvider _time;
    private volatile Loaded? _loaded;

    public PacSource(string pacUrl, IProxyAutoConfig? engine, Action<string>? warn, TimeSpan? cacheDuration = null, System.Net.Security.RemoteCertificateValidationCallback? originValidation = null, TimeProvider? time = null)
    {
        PacUrl = pacUrl;
        _originValidation = originValidation;
        _engine = engine;
        _warn = warn ?? (static _ => { });
        _time = time ?? TimeProvider.System;
        var duration = cacheDuration ?? TimeSpan.FromSeconds(30);
        _answerTicks = (long)(duration.TotalSeconds * _time.TimestampFrequency);

        // A failing script is asked again sooner, yet not on every request (a runaway script costs its time limit).
        _errorTicks = Math.Min(_answerTicks, 5 * _time.TimestampFrequency);

        // The fetch starts now, off the request path: the first request that needs the script waits at most for
        // what is left of the fetch's deadline, and a NO_PROXY request never reaches this source.
        engine?.Prepare(pacUrl, originValidation);
    }

    public string PacUrl { get; }

    public ProxyDecision Resolve(Uri uri, string host)
    {
        if (_engine is null)
        {
            return ProxyDecision.Failed(NoEngine(PacUrl));
        }

        long now = _time.GetTimestamp();
        IProxyAutoConfigScript script;
        if (_loaded is { } loaded && now < loaded.RecheckAt)
        {
            script = loaded.Script;
        }
        else
        {
            try
            {
                script = _engine.Load(PacUrl, _originValidation);
            }
            catch (ProxyConfigurationException e)
            {
                return ProxyDecision.Failed(e.Message);
            }

            // The engine is asked again for its current script at most once a second (a refresh swaps it).
            _loaded = new Loaded(script, now + _time.TimestampFrequency);
        }

        bool cut = uri.Scheme is "https" or "wss";
        var key = (uri.Scheme, host, uri.Port, cut ? null : uri.PathAndQuery);
        if (_cache.TryGetValue(key, out var cached) && ReferenceEquals(cached.Script, script) && now < cached.Expires)
        {
            return cached.Decision;
        }

        var decision = Ask(script, ScriptUrl(uri, host, cut), host);
        if (_cache.Count >= MaxEntries)
        {
            _cache.Clear();
        }

        _cache[key] = new Entry(script, decision, now + (decision.IsError ? _errorTicks : _answerTicks));
        return decision;
    }

    /// <summary>The helper calls behind the script's answer for <paramref name="uri"/>, one line each (uncached); empty when it cannot tell.</summary>
    public IReadOnlyList<string> Trace(Uri uri, string host)
    {
        var trace = new List<string>();
        if (_engine is null)
        {
            return trace;
        }

        try
        {
            bool cut = uri.Scheme is "https" or "wss";
            string url = ScriptUrl(uri, host, cut);
            string answer = _engine.Load(PacUrl, _originValidation).FindProxyForUrl(url, host, trace);
            trace.Insert(0, $"{(trace.Count > 0 ? string.Empty : "(no helper calls) ")}FindProxyForURL(\"{url}\", \"{host}\") = \"{answer}\"");
        }
        catch (ProxyConfigurationException e)
        {
            trace.Add(e.Message);
        }

        return trace;
    }

    public static string NoEngine(string pacUrl) =>
        $"Proxy:PacUrl is set ({Redaction.Url(pacUrl)}) but no PAC script engine is registered: add the Proxy.Net.Pac package and call services.AddProxyNet(...).AddPac()";

    /// <summary>
    /// What the script sees: the canonical URL without user information or fragment, and for <c>https</c>/<c>wss</c>
    /// only <c>https://host[:port]/</c>, as Chrome does, so no path or query leaks to the script.
    /// </summary>
    internal static string ScriptUrl(Uri uri, string host, bool cut)
    {
        string authority = host.Contains(':') ? $"[{host}]" : host;
        if (!uri.IsDefaultPort)
        {
            authority = $"{authority}:{uri.Port}";
        }

        return $"{uri.Scheme}://{authority}{(cut ? "/" : uri.PathAndQuery)}";
    }

    private ProxyDecision Ask(IProxyAutoConfigScript script, string url, string host)
    {
        string answer;
        try
        {
            answer = script.FindProxyForUrl(url, host);
        }
        catch (ProxyConfigurationException e)
        {
            return ProxyDecision.Failed(e.Message);
        }

        var warnings = new List<string>();
        var decision = PacAnswer.Decide(answer, Redaction.Url(PacUrl), "FindProxyForURL", warnings);
        foreach (string warning in warnings)
        {
            _warn(warning);
        }

        return decision;
    }

    private sealed record Entry(IProxyAutoConfigScript Script, ProxyDecision Decision, long Expires);

    private sealed record Loaded(IProxyAutoConfigScript Script, long RecheckAt);
}
