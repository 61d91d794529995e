using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Acornima.Ast;
using Jint;
using Jint.Native;
using Jint.Runtime;

namespace ProxyNet.Pac;

/// <summary>
/// One compiled script. Jint engines are single-threaded, so calls rent one from a small pool (each has run the
/// helpers and the script's top level once); an engine that hit a limit is dropped, never reused. Every failure is a
/// <see cref="ProxyConfigurationException"/> naming the PAC URL and, for a limit, the limit.
/// </summary>
internal sealed class PacScript : IProxyAutoConfigScript
{
    private static readonly Prepared<Script> Library = Engine.PrepareScript(PacLibrary.Source, "pac-library.js");

    private readonly Prepared<Script> _script;
    private readonly PacRuntime _runtime;
    private readonly ConcurrentBag<Engine> _idle = [];
    private readonly string _function;

    private PacScript(string text, Prepared<Script> script, PacRuntime runtime, string function)
    {
        Text = text;
        _script = script;
        _runtime = runtime;
        _function = function;
    }

    /// <summary>The source, to tell a changed script from the same one fetched again.</summary>
    public string Text { get; }

    public string PacUrl => _runtime.PacUrl;

    /// <summary>Parses the script and runs its top level once; it must define <c>FindProxyForURL</c> (or the <c>Ex</c> form).</summary>
    public static PacScript Compile(string text, PacRuntime runtime)
    {
        Prepared<Script> prepared;
        try
        {
            prepared = Engine.PrepareScript(text, runtime.PacUrl);
        }
        catch (Exception e) when (e is Acornima.ParseErrorException or JintException)
        {
            throw new ProxyConfigurationException($"PAC {runtime.PacUrl}: the script does not compile: {e.Message}");
        }

        var probe = new PacScript(text, prepared, runtime, "FindProxyForURL");
        var engine = probe.Create("the script's top level");
        string function = engine.GetValue("FindProxyForURLEx") is Jint.Native.Function.Function ? "FindProxyForURLEx"
            : engine.GetValue("FindProxyForURL") is Jint.Native.Function.Function ? "FindProxyForURL"
            : throw new ProxyConfigurationException($"PAC {runtime.PacUrl}: the script defines no function FindProxyForURL(url, host)");
        var script = new PacScript(text, prepared, runtime, function);
        script._idle.Add(engine);
        return script;
    }

    public string FindProxyForUrl(string url, string host)
    {
        var engine = _idle.TryTake(out var idle) ? idle : Create("the script's top level");
        JsValue answer;
        try
        {
            answer = engine.Invoke(_function, url, host);
        }
        catch (Exception e) when (Describe(e) is { } problem)
        {
            throw new ProxyConfigurationException($"PAC {PacUrl}: {_function}(\"{url}\", \"{host}\") {problem}");
        }

        _idle.Add(engine);
        return answer.IsString()
            ? answer.AsString()
            : throw new ProxyConfigurationException($"PAC {PacUrl}: {_function}(\"{url}\", \"{host}\") returned {(answer.IsUndefined() ? "undefined" : answer.Type.ToString().ToLowerInvariant())}, not a string");
    }

    /// <summary>Helpers whose calls a traced call records (the library's and the natives').</summary>
    private static readonly Prepared<Script> Tracer = Engine.PrepareScript("""
        (function (g) {
            ['isPlainHostName', 'dnsDomainIs', 'localHostOrDomainIs', 'isResolvable', 'isResolvableEx', 'isInNet', 'isInNetEx',
             'dnsResolve', 'dnsResolveEx', 'myIpAddress', 'myIpAddressEx', 'dnsDomainLevels', 'shExpMatch', 'weekdayRange',
             'dateRange', 'timeRange', 'sortIpAddressList'].forEach(function (name) {
                var f = g[name];
                if (typeof f !== 'function') { return; }
                g[name] = function () {
                    var result = f.apply(this, arguments);
                    var args = Array.prototype.map.call(arguments, function (a) { return JSON.stringify(a); }).join(', ');
                    __pacTrace(name + '(' + args + ') = ' + JSON.stringify(result));
                    return result;
                };
            });
        })(this);
        """, "pac-trace.js");

    /// <summary>At most this many helper calls are recorded (a 200-rule script calls shExpMatch 200 times).</summary>
    private const int MaxTrace = 40;

    /// <summary>A call on a fresh engine whose helpers record their calls into <paramref name="trace"/>.</summary>
    public string FindProxyForUrl(string url, string host, ICollection<string> trace)
    {
        var engine = Create("the script's top level");
        int calls = 0;
        engine.SetValue("__pacTrace", new Jint.Runtime.Interop.ClrFunction(engine, "__pacTrace", (_, arguments) =>
        {
            if (++calls <= MaxTrace)
            {
                trace.Add(arguments.Length > 0 ? arguments[0].ToString() : string.Empty);
            }

            return JsValue.Undefined;
        }));
        engine.Execute(Tracer);
        string answer;
        try
        {
            var value = engine.Invoke(_function, url, host);
            answer = value.IsString()
                ? value.AsString()
                : throw new ProxyConfigurationException($"PAC {PacUrl}: {_function}(\"{url}\", \"{host}\") returned {(value.IsUndefined() ? "undefined" : value.Type.ToString().ToLowerInvariant())}, not a string");
        }
        catch (Exception e) when (Describe(e) is { } problem)
        {
            throw new ProxyConfigurationException($"PAC {PacUrl}: {_function}(\"{url}\", \"{host}\") {problem}");
        }

        if (calls > MaxTrace)
        {
            trace.Add($"… {calls - MaxTrace} more helper calls");
        }

        return answer;
    }

    private Engine Create(string what)
    {
        var limits = _runtime.Options;
        var engine = new Engine(o =>
        {
            o.TimeoutInterval(limits.CallTimeout)
                .MaxStatements(limits.MaxStatements)
                .LimitMemory(limits.MemoryLimit)
                .LimitRecursion(limits.RecursionLimit)
                .DisableStringCompilation();
            o.Constraints.RegexTimeout = limits.CallTimeout;
            o.TimeSystem = new ClockTimeSystem(_runtime.Time);
        });
        try
        {
            _runtime.Natives.Bind(engine);
            engine.Execute(Library);
            engine.Execute(_script);
            return engine;
        }
        catch (Exception e) when (Describe(e) is { } problem)
        {
            throw new ProxyConfigurationException($"PAC {PacUrl}: {what} {problem}");
        }
    }

    /// <summary>What went wrong, in words naming the limit; null for exceptions that are not the script's doing.</summary>
    private string? Describe(Exception e) => e switch
    {
        RegexMatchTimeoutException => $"ran past the time limit ({_runtime.Options.CallTimeout.TotalMilliseconds:0} ms) in a regular expression",
        TimeoutException => $"ran past the time limit ({_runtime.Options.CallTimeout.TotalMilliseconds:0} ms)",
        StatementsCountOverflowException => $"ran past the statement limit ({_runtime.Options.MaxStatements})",
        MemoryLimitExceededException => $"ran past the memory limit ({_runtime.Options.MemoryLimit} bytes)",
        RecursionDepthOverflowException => $"ran past the recursion limit ({_runtime.Options.RecursionLimit})",
        JavaScriptException js => $"threw: {Shorten(js.Message)}",
        InvalidOperationException or ArgumentException or OutOfMemoryException or JintException => $"failed: {Shorten(e.Message)}",
        _ => null,
    };

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
