using Microsoft.Extensions.Logging;

namespace ProxyNet.Diagnostics;

/// <summary>Every log line the library writes, with stable event ids. No message carries a password.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "RouteDecided", Level = LogLevel.Debug, Message = "{Method} {Url} goes {Route} ({Reason})")]
    public static partial void RouteDecided(ILogger logger, string method, string url, string route, string reason);

    [LoggerMessage(EventId = 2, EventName = "ConfigurationError", Level = LogLevel.Error, Message = "Proxy configuration error for {Url}: {Error}")]
    public static partial void ConfigurationError(ILogger logger, string url, string error);

    [LoggerMessage(EventId = 3, EventName = "ConfigurationWarning", Level = LogLevel.Warning, Message = "{Warning}")]
    public static partial void ConfigurationWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = 4, EventName = "ProxyAuthenticationFailed", Level = LogLevel.Warning, Message = "Proxy {Proxy} answered 407 for {Url}: {Failure}")]
    public static partial void ProxyAuthenticationFailed(ILogger logger, string proxy, string url, string failure);

    [LoggerMessage(EventId = 5, EventName = "Redirected", Level = LogLevel.Debug, Message = "Redirect {Status} from {From} to {To}: route decided again")]
    public static partial void Redirected(ILogger logger, int status, string from, string to);

    [LoggerMessage(EventId = 6, EventName = "ConfigurationReloaded", Level = LogLevel.Information, Message = "Proxy configuration reloaded")]
    public static partial void ConfigurationReloaded(ILogger logger);

    [LoggerMessage(EventId = 7, EventName = "TlsTrustFailure", Level = LogLevel.Warning, Message = "TLS to {Url} failed: {Failure}")]
    public static partial void TlsTrustFailure(ILogger logger, string url, string failure);

    [LoggerMessage(EventId = 9, EventName = "EgressRefused", Level = LogLevel.Warning, Message = "Egress policy refused a DIRECT connection to {Url} ({Reason})")]
    public static partial void EgressRefused(ILogger logger, string url, string reason);

    [LoggerMessage(EventId = 10, EventName = "ProxyFailover", Level = LogLevel.Warning, Message = "Proxy {Proxy} is unavailable, failing over to the next one: {Reason}")]
    public static partial void ProxyFailover(ILogger logger, string proxy, string reason);

    [LoggerMessage(EventId = 11, EventName = "ProxySkipped", Level = LogLevel.Debug, Message = "Proxy {Proxy} skipped: its circuit breaker is open")]
    public static partial void ProxySkipped(ILogger logger, string proxy);

    [LoggerMessage(EventId = 12, EventName = "ConfigurationRejected", Level = LogLevel.Error, Message = "Proxy configuration reload refused, the last good configuration stays in use: {Errors}")]
    public static partial void ConfigurationRejected(ILogger logger, string errors);

    [LoggerMessage(EventId = 8, EventName = "DangerousCertificateAcceptance", Level = LogLevel.Warning, Message = "Client '{Client}' accepts ANY {Who} certificate: TLS does not protect its traffic against interception")]
    public static partial void DangerousCertificateAcceptance(ILogger logger, string client, string who);

    [LoggerMessage(EventId = 20, EventName = "TunnelOpened", Level = LogLevel.Debug, Message = "Forward {Forward}: tunnel opened via {Route}")]
    public static partial void TunnelOpened(ILogger logger, string forward, string route);

    [LoggerMessage(EventId = 21, EventName = "TunnelFailed", Level = LogLevel.Warning, Message = "Forward {Line}")]
    public static partial void TunnelFailed(ILogger logger, string line);

    [LoggerMessage(EventId = 22, EventName = "ServeUpstreamFailed", Level = LogLevel.Warning, Message = "serve: {Target} failed upstream: {Reason}")]
    public static partial void ServeUpstreamFailed(ILogger logger, string target, string reason);

    [LoggerMessage(EventId = 23, EventName = "ServeConnectionFailed", Level = LogLevel.Error, Message = "serve: a client connection failed: {Type}: {Reason}")]
    public static partial void ServeConnectionFailed(ILogger logger, string type, string reason);
}
