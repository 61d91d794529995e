using System.Net;
using ProxyNet.Pac;
using ProxyNet.Resolution;

namespace ProxyNet.Tests.Pac;

/// <summary>A clock the test sets, in a fixed time zone (UTC+2 without daylight saving, to tell local from GMT).</summary>
internal sealed class FakeClock(DateTimeOffset now) : TimeProvider
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.CreateCustomTimeZone("Test+2", TimeSpan.FromHours(2), "Test+2", "Test+2");

    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    public override TimeZoneInfo LocalTimeZone => Zone;
}

/// <summary>DNS from a table; counts lookups so the cache can be seen.</summary>
internal sealed class FakeDns(Dictionary<string, string[]> table, params string[] local) : IPacHostResolver
{
    public int Lookups { get; private set; }

    public IReadOnlyList<IPAddress> Resolve(string host)
    {
        Lookups++;
        return table.TryGetValue(host, out var addresses) ? [.. addresses.Select(IPAddress.Parse)] : [];
    }

    public IReadOnlyList<IPAddress> GetLocalAddresses() => [.. local.Select(IPAddress.Parse)];
}

/// <summary>An engine whose script is a C# function; a new instance per script version.</summary>
internal sealed class FakeEngine : IProxyAutoConfig
{
    public Script Current { get; set; } = new(static (_, _) => "DIRECT");

    public Exception? LoadFailure { get; set; }

    public IProxyAutoConfigScript Load(string pacUrl) => LoadFailure is { } e ? throw e : Current;

    public sealed class Script(Func<string, string, string> answer) : IProxyAutoConfigScript
    {
        public List<(string Url, string Host)> Calls { get; } = [];

        public string FindProxyForUrl(string url, string host)
        {
            lock (Calls)
            {
                Calls.Add((url, host));
            }

            return answer(url, host);
        }
    }
}
