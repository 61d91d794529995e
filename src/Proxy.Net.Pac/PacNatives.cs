using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Jint;
using Jint.Native;
using Jint.Runtime.Interop;
using Microsoft.Extensions.Logging;

namespace ProxyNet.Pac;

/// <summary>
/// The helpers that need the network or the host: DNS through the injected resolver (cached), this machine's
/// addresses, CIDR tests of both families, and <c>alert</c> to the log. Nothing else of .NET is reachable.
/// </summary>
internal sealed class PacNatives(CachingHostResolver dns, ILogger logger, string pacUrl)
{
    /// <summary><c>alert()</c> lines one call may log; more are counted and said in one line.</summary>
    internal const int AlertsPerCall = 10;

    /// <summary><c>alert()</c> lines all calls of one script may log in a minute.</summary>
    internal const int AlertsPerMinute = 60;

    /// <summary>The longest <c>alert()</c> text logged; longer is cut.</summary>
    internal const int MaxAlertLength = 500;

    private readonly object _alertGate = new();
    private long _alertWindow = long.MinValue / 2;
    private int _alertsInWindow;
    private int _alertsSuppressed;

    /// <summary>Binds the helpers into <paramref name="engine"/>; their lookups and alerts count against <paramref name="budget"/>.</summary>
    public void Bind(Engine engine, CallBudget budget)
    {
        // ClrFunction, not SetValue(name, delegate): no reflection over delegates, so the Native AOT tool can run scripts.
        void Define(string name, Func<JsValue[], JsValue> body) =>
            engine.SetValue(name, new ClrFunction(engine, name, (_, arguments) => body(arguments)));
        static JsValue Arg(JsValue[] arguments, int index) => index < arguments.Length ? arguments[index] : JsValue.Undefined;

        Define("dnsResolve", a => First(dns.Resolve(Text(Arg(a, 0)), budget), AddressFamily.InterNetwork) is { } address ? address.ToString() : JsValue.Null);
        Define("dnsResolveEx", a => Join(dns.Resolve(Text(Arg(a, 0)), budget)));
        Define("myIpAddress", _ => (First(dns.LocalAddresses(), AddressFamily.InterNetwork) ?? IPAddress.Loopback).ToString());
        Define("myIpAddressEx", _ => Join(dns.LocalAddresses()));
        Define("isInNetEx", a => IsInNetEx(Text(Arg(a, 0)), Text(Arg(a, 1)), budget));
        Define("sortIpAddressList", a => SortIpAddressList(Text(Arg(a, 0))) is { } sorted ? sorted : JsBoolean.False);
        Define("shExpMatch", a => ShellMatch(Text(Arg(a, 0)), Text(Arg(a, 1))));
        Define("alert", a =>
        {
            Alert(Text(Arg(a, 0)), budget);
            return JsValue.Undefined;
        });
    }

    /// <summary>
    /// One log line per <c>alert()</c>, escaped (a script cannot start a line of its own or forge another source's)
    /// and cut at <see cref="MaxAlertLength"/>, at most <see cref="AlertsPerCall"/> per call and
    /// <see cref="AlertsPerMinute"/> lines a minute in all; what is held back is counted and said in one line.
    /// </summary>
    private void Alert(string text, CallBudget budget)
    {
        if (++budget.Alerts > AlertsPerCall || !TakeLine())
        {
            Interlocked.Increment(ref _alertsSuppressed);
            return;
        }

        Log.Alert(logger, pacUrl, PeerText.Escape(text, MaxAlertLength));
    }

    /// <summary>At the end of a call: how many alerts were held back, in one line, when the minute has room for it.</summary>
    public void EndCall()
    {
        if (Volatile.Read(ref _alertsSuppressed) == 0 || !TakeLine())
        {
            return;
        }

        int suppressed = Interlocked.Exchange(ref _alertsSuppressed, 0);
        if (suppressed > 0)
        {
            Log.AlertsSuppressed(logger, pacUrl, suppressed, AlertsPerCall, AlertsPerMinute);
        }
    }

    private bool TakeLine()
    {
        lock (_alertGate)
        {
            long now = Environment.TickCount64;
            if (now - _alertWindow >= 60_000)
            {
                _alertWindow = now;
                _alertsInWindow = 0;
            }

            return ++_alertsInWindow <= AlertsPerMinute;
        }
    }

    /// <summary>
    /// <c>shExpMatch</c>: <c>*</c> any run, <c>?</c> any one character (neither across a line break, as the regular
    /// expression browsers build would), every other character itself, case-sensitive. A glob match without a regular
    /// expression: a 200-rule script must not compile 200 of them per call.
    /// </summary>
    internal static bool ShellMatch(string text, string pattern)
    {
        int t = 0, p = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (p < pattern.Length && (pattern[p] == '?' ? !LineBreak(text[t]) : pattern[p] == text[t]))
            {
                t++;
                p++;
            }
            else if (star >= 0 && !LineBreak(text[resume]))
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static bool LineBreak(char c) => c is '\n' or '\r' or '\u2028' or '\u2029';

    private static string Text(JsValue value) => value.IsString() ? value.AsString() : value.ToString();

    private static IPAddress? First(IReadOnlyList<IPAddress> addresses, AddressFamily family) =>
        addresses.FirstOrDefault(a => a.AddressFamily == family);

    private static string Join(IReadOnlyList<IPAddress> addresses) => string.Join(';', addresses.Select(a => a.ToString()));

    private bool IsInNetEx(string host, string prefix, CallBudget budget)
    {
        int slash = prefix.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(prefix[..slash], out var network)
            || !int.TryParse(prefix[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int length)
            || length > (network.AddressFamily == AddressFamily.InterNetwork ? 32 : 128))
        {
            return false;
        }

        var candidates = dns.Resolve(host, budget);
        return candidates.Any(a => a.AddressFamily == network.AddressFamily && SamePrefix(a.GetAddressBytes(), network.GetAddressBytes(), length));
    }

    private static bool SamePrefix(byte[] a, byte[] b, int bits)
    {
        for (int i = 0; bits > 0; i++, bits -= 8)
        {
            int mask = bits >= 8 ? 0xff : 0xff << (8 - bits) & 0xff;
            if ((a[i] & mask) != (b[i] & mask))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>IPv6 first, then IPv4, each in address order (Microsoft's definition); null when an item is not an address.</summary>
    internal static string? SortIpAddressList(string list)
    {
        var addresses = new List<IPAddress>();
        foreach (string item in list.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!IPAddress.TryParse(item, out var address))
            {
                return null;
            }

            addresses.Add(address);
        }

        if (addresses.Count == 0)
        {
            return null;
        }

        return Join(addresses
            .OrderBy(a => a.AddressFamily == AddressFamily.InterNetworkV6 ? 0 : 1)
            .ThenBy(a => a.GetAddressBytes(), ByteOrder.Instance)
            .ToList());
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
