using System.Globalization;
using Jint.Runtime;

namespace ProxyNet.Pac;

/// <summary>Makes <c>new Date()</c> in a script (and so the time helpers) read the injected clock and its time zone.</summary>
internal sealed class ClockTimeSystem(TimeProvider time) : ITimeSystem
{
    private readonly DefaultTimeSystem _inner = new(time.LocalTimeZone, CultureInfo.InvariantCulture);

    public TimeZoneInfo DefaultTimeZone => _inner.DefaultTimeZone;

    public DateTimeOffset GetUtcNow() => time.GetUtcNow();

    public TimeSpan GetUtcOffset(long epochMilliseconds) => _inner.GetUtcOffset(epochMilliseconds);

    public bool TryParse(string date, out long epochMilliseconds) => _inner.TryParse(date, out epochMilliseconds);
}
