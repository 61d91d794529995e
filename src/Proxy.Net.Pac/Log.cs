using Microsoft.Extensions.Logging;

namespace ProxyNet.Pac;

/// <summary>Log calls of the PAC engine; event ids 100 and up, apart from the core's.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 100, EventName = "PacAlert", Level = LogLevel.Information, Message = "PAC {PacUrl} alert: {Message}")]
    public static partial void Alert(ILogger logger, string pacUrl, string message);

    [LoggerMessage(EventId = 101, EventName = "PacLoaded", Level = LogLevel.Information, Message = "PAC {PacUrl} loaded ({Bytes} bytes)")]
    public static partial void Loaded(ILogger logger, string pacUrl, int bytes);

    [LoggerMessage(EventId = 103, EventName = "PacAlertsSuppressed", Level = LogLevel.Warning, Message = "PAC {PacUrl}: {Count} alert() lines were not logged (at most {PerCall} per call and {PerMinute} a minute)")]
    public static partial void AlertsSuppressed(ILogger logger, string pacUrl, int count, int perCall, int perMinute);

    [LoggerMessage(EventId = 102, EventName = "PacRefreshFailed", Level = LogLevel.Warning, Message = "PAC {PacUrl} could not be refreshed, the last good script stays in use: {Error}")]
    public static partial void RefreshFailed(ILogger logger, string pacUrl, string error);
}
