using System.Runtime.InteropServices;

namespace ProxyNet.Cli;

/// <summary>SIGINT and SIGTERM end a long-running command (tunnel, serve) through its token instead of killing the process.</summary>
internal static class Signals
{
    public static IDisposable StopOn(CancellationTokenSource stop)
    {
        void Handle(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        var registrations = new[] { PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle) };
        return new Both(registrations);
    }

    private sealed class Both(PosixSignalRegistration[] registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }
    }
}
