using Microsoft.Extensions.Logging;

namespace ProxyNet.Cli;

/// <summary>The library's warnings and errors on stderr, one escaped line each (serve, tunnel): no logging package in the AOT tool.</summary>
internal sealed class StderrLogger(TextWriter stderr, string prefix) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            stderr.WriteLine($"{prefix}: {(logLevel >= LogLevel.Error ? "error" : "warning")}: {Terminal.Safe(formatter(state, exception))}");
        }
    }
}
