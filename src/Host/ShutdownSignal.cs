using System.Runtime.InteropServices;

namespace Scanflow.Host;

/// <summary>SIGINT (Ctrl+C) and SIGTERM: the first asks for a graceful stop, a second one for an immediate one.</summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _now = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    public ShutdownSignal()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
    }

    /// <summary>Fires on the first signal: take no new work.</summary>
    public CancellationToken Stop => _stop.Token;

    /// <summary>Fires on the second signal: cancel work in flight now.</summary>
    public CancellationToken Now => _now.Token;

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _stop.Dispose();
        _now.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        // Keep the process alive: the run drains and exits with its own code.
        context.Cancel = true;
        if (_stop.IsCancellationRequested)
        {
            _now.Cancel();
            return;
        }

        Console.Error.WriteLine("scanflow: stopping — finishing scans in flight (signal again to cancel them now)");
        _stop.Cancel();
    }
}
