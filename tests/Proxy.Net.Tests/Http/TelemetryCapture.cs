using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ProxyNet.Tests.Http;

/// <summary>
/// The ProxyNet meter's measurements and ProxyNet.Route activities made by the test that created this capture (its
/// async flow only), so tests running in parallel do not blur each other's counts.
/// </summary>
internal sealed class TelemetryCapture : IDisposable
{
    private static readonly AsyncLocal<TelemetryCapture?> Owner = new();
    private readonly MeterListener _meters = new();
    private readonly ActivityListener _activities;

    public TelemetryCapture()
    {
        Owner.Value = this;
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "ProxyNet")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.Start();
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "ProxyNet",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Owner.Value == this)
                {
                    Activities.Enqueue((activity.OperationName, activity.Tags.ToDictionary(t => t.Key, t => t.Value)));
                }
            },
        };
        ActivitySource.AddActivityListener(_activities);
    }

    public ConcurrentQueue<(string Instrument, long Value, Dictionary<string, object?> Tags)> Measurements { get; } = new();

    public ConcurrentQueue<(string Name, Dictionary<string, string?> Tags)> Activities { get; } = new();

    /// <summary>The sum of <paramref name="instrument"/>'s measurements whose tag <paramref name="tag"/> is <paramref name="value"/>.</summary>
    public long Sum(string instrument, string tag, string value) =>
        Measurements.Where(m => m.Instrument == instrument && m.Tags.TryGetValue(tag, out var v) && Equals(v, value)).Sum(m => m.Value);

    public void Dispose()
    {
        _meters.Dispose();
        _activities.Dispose();
        Owner.Value = null;
    }

    private void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (Owner.Value == this)
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            Measurements.Enqueue((instrument.Name, value, copy));
        }
    }
}
