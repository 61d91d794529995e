namespace ProxyNet.Pac;

/// <summary>What every engine of one PAC URL shares: its limits, clock, natives and the URL for messages.</summary>
internal sealed record PacRuntime(string PacUrl, PacOptions Options, TimeProvider Time, PacNatives Natives);
