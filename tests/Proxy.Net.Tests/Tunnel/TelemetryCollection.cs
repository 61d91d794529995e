namespace ProxyNet.Tests.Tunnel;

/// <summary>
/// Tests that listen to the process-wide <c>ProxyNet</c> meter: they run alone, so no other test's tunnel adds to
/// what they count.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "ProxyNet meter";
}
