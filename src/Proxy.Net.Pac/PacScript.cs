using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Acornima.Ast;
using Jint;
using Jint.Native;
using Jint.Runtime;
using Jint.Runtime.Interop;

namespace ProxyNet.Pac;

/// <summary>
/// One compiled script. Jint engines are single-threaded, so calls rent one from a small pool (each has run the
/// helpers and the script's top level once); an engine that hit a limit is dropped, never reused, and so is one whose
/// calls together allocated more than <see cref="PacOptions.MemoryLimit"/> (a script that keeps what it allocates is
/// started afresh instead of growing). Every failure is a <see cref="ProxyConfigurationException"/> naming the PAC URL
/// and, for a limit, the limit.
/// </summary>
internal sealed class PacScript : IProxyAutoConfigScript
{
    private static readonly Prepared<Script> Library = Engine.PrepareScript(PacLibrary.Source, "pac-library.js");

    /// <summary>Idle engines kept at most; a burst of concurrent calls beyond it creates engines that are not kept.</summary>
    private static readonly int MaxIdle = Math.Max(4, 2 * Environment.ProcessorCount);

    private readonly Prepared<Script> _script;
    private readonly PacRuntime _runtime;
    private readonly ConcurrentBag<Pooled> _idle = [];
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

    /// <summary>Engines started for this script, for tests of recycling.</summary>
    internal int EnginesCreated;

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
            throw new ProxyConfigurationException($"PAC {runtime.PacUrl}: the script does not compile: {PeerText.Escape(e.Message, 300)}");
        }

        var probe = new PacScript(text, prepared, runtime, "FindProxyForURL");
        var pooled = probe.Create("the script's top level");
        string function = pooled.Engine.GetValue("FindProxyForURLEx") is Jint.Native.Function.Function ? "FindProxyForURLEx"
            : pooled.Engine.GetValue("FindProxyForURL") is Jint.Native.Function.Function ? "FindProxyForURL"
            : throw new ProxyConfigurationException($"PAC {runtime.PacUrl}: the script defines no function FindProxyForURL(url, host)");
        var script = new PacScript(text, prepared, runtime, function) { EnginesCreated = 1 };
        script._idle.Add(pooled);
        return script;
    }

    public string FindProxyForUrl(string url, string host)
    {
        var pooled = _idle.TryTake(out var idle) ? idle : Create("the script's top level");
        long before = GC.GetAllocatedBytesForCurrentThread();
        string answer = Call(pooled, url, host);
        pooled.Allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        if (pooled.Allocated <= _runtime.Options.MemoryLimit && _idle.Count < MaxIdle)
        {
            _idle.Add(pooled);
        }

        return answer;
    }

    /// <summary>A call on a fresh engine whose helpers record their calls into <paramref name="trace"/>.</summary>
    public string FindProxyForUrl(string url, string host, ICollection<string> trace)
    {
        var pooled = Create("the script's top level");
        var recorder = new TraceRecorder(trace);

        // The recorder reaches the wrappers as an argument, never as a global: the script cannot call it, and the
        // lines are written here from the values, so no string of the script's can pass for a helper call.
        var install = pooled.Engine.Evaluate(Tracer);
        var engine = pooled.Engine;
        engine.Invoke(install, engine.Global, [engine.Global, new ClrFunction(engine, "trace", (_, a) => recorder.Record(a))]);
        string answer = Call(pooled, url, host);
        recorder.Finish();
        return answer;
    }

    private string Call(Pooled pooled, string url, string host)
    {
        pooled.Budget.Begin();
        try
        {
            var value = pooled.Engine.Invoke(_function, url, host);
            return value.IsString()
                ? value.AsString()
                : throw new ProxyConfigurationException($"PAC {PacUrl}: {Called(url, host)} returned {(value.IsUndefined() ? "undefined" : value.Type.ToString().ToLowerInvariant())}, not a string");
        }
        catch (Exception e) when (Describe(e) is { } problem)
        {
            throw new ProxyConfigurationException($"PAC {PacUrl}: {Called(url, host)} {problem}");
        }
        finally
        {
            _runtime.Natives.EndCall();
        }
    }

    private string Called(string url, string host) => $"{_function}(\"{PeerText.Escape(url, 300)}\", \"{PeerText.Escape(host, 300)}\")";

    /// <summary>Wraps the helpers so that each call is handed to <c>trace(name, arguments, result)</c>.</summary>
    private static readonly Prepared<Script> Tracer = Engine.PrepareScript("""
        (function (g, trace) {
            var names = ['isPlainHostName', 'dnsDomainIs', 'localHostOrDomainIs', 'isResolvable', 'isResolvableEx', 'isInNet', 'isInNetEx',
                'dnsResolve', 'dnsResolveEx', 'myIpAddress', 'myIpAddressEx', 'dnsDomainLevels', 'shExpMatch', 'weekdayRange',
                'dateRange', 'timeRange', 'sortIpAddressList'];
            for (var i = 0; i < names.length; i++) {
                (function (name, f) {
                    if (typeof f !== 'function') { return; }
                    g[name] = function () {
                        var result = f.apply(this, arguments);
                        trace(name, arguments, result);
                        return result;
                    };
                })(names[i], g[names[i]]);
            }
        })
        """, "pac-trace.js");

    private Pooled Create(string what)
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
        var budget = new CallBudget(limits);
        Interlocked.Increment(ref EnginesCreated);
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            _runtime.Natives.Bind(engine, budget);
            budget.Begin();
            engine.Execute(Library);
            engine.Execute(_script);
            return new Pooled(engine, budget) { Allocated = GC.GetAllocatedBytesForCurrentThread() - before };
        }
        catch (Exception e) when (Describe(e) is { } problem)
        {
            throw new ProxyConfigurationException($"PAC {PacUrl}: {what} {problem}");
        }
        finally
        {
            _runtime.Natives.EndCall();
        }
    }

    /// <summary>What went wrong, in words naming the limit; null for exceptions that are not the script's doing.</summary>
    private string? Describe(Exception e) => e switch
    {
        ProxyConfigurationException => null,
        PacLimitException limit => limit.Message,
        RegexMatchTimeoutException => $"ran past the time limit ({_runtime.Options.CallTimeout.TotalMilliseconds:0} ms) in a regular expression",
        TimeoutException => $"ran past the time limit ({_runtime.Options.CallTimeout.TotalMilliseconds:0} ms)",
        StatementsCountOverflowException => $"ran past the statement limit ({_runtime.Options.MaxStatements})",
        MemoryLimitExceededException => $"ran past the memory limit ({_runtime.Options.MemoryLimit} bytes)",
        RecursionDepthOverflowException => $"ran past the recursion limit ({_runtime.Options.RecursionLimit})",
        JavaScriptException js => $"threw: {PeerText.Escape(js.Message, 200)}",
        InvalidOperationException or ArgumentException or OutOfMemoryException or JintException => $"failed: {PeerText.Escape(e.Message, 200)}",
        _ => null,
    };

    /// <summary>An engine and what its calls have spent: its budget per call, its allocations over its life.</summary>
    private sealed class Pooled(Engine engine, CallBudget budget)
    {
        public Engine Engine { get; } = engine;

        public CallBudget Budget { get; } = budget;

        public long Allocated { get; set; }
    }

    /// <summary>Writes each helper call as one line, <c>dnsResolve("intranet.corp") = "10.1.2.3"</c>, from the values themselves.</summary>
    private sealed class TraceRecorder(ICollection<string> trace)
    {
        /// <summary>At most this many helper calls are recorded (a 200-rule script calls shExpMatch 200 times).</summary>
        private const int MaxTrace = 40;

        private int _calls;

        public JsValue Record(JsValue[] arguments)
        {
            if (++_calls > MaxTrace || arguments.Length < 3)
            {
                return JsValue.Undefined;
            }

            var line = new StringBuilder(arguments[0].ToString()).Append('(');
            if (arguments[1] is Jint.Native.Object.ObjectInstance list)
            {
                long length = (long)TypeConverter.ToNumber(list.Get("length"));
                for (long i = 0; i < Math.Min(length, 8); i++)
                {
                    line.Append(i > 0 ? ", " : string.Empty).Append(Format(list.Get(i.ToString(CultureInfo.InvariantCulture))));
                }
            }

            trace.Add(line.Append(") = ").Append(Format(arguments[2])).ToString());
            return JsValue.Undefined;
        }

        public void Finish()
        {
            if (_calls > MaxTrace)
            {
                trace.Add($"… {_calls - MaxTrace} more helper calls");
            }
        }

        /// <summary>A value as JSON would write it: strings quoted with every control character escaped.</summary>
        internal static string Format(JsValue value) => value switch
        {
            _ when value.IsString() => Quote(value.AsString()),
            _ when value.IsBoolean() => value.AsBoolean() ? "true" : "false",
            _ when value.IsNumber() => TypeConverter.ToString(value),
            _ when value.IsNull() => "null",
            _ when value.IsUndefined() => "undefined",
            _ => value.Type.ToString().ToLowerInvariant(),
        };

        internal static string Quote(string text) =>
            "\"" + PeerText.Escape(text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal), 300) + "\"";
    }
}
