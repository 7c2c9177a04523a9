using Microsoft.Extensions.Logging;

namespace Scanflow.Host;

/// <summary>The service's log lines, one per event, each naming the scan or file.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "watching {Drop} (settle {SettleSeconds} s, rescan every {RescanSeconds} s); products in {Output}; ledger {Ledger}")]
    public static partial void Started(ILogger logger, string drop, double settleSeconds, double rescanSeconds, string output, string ledger);

    // One line per scan outcome: scan, band, outcome (the ledger's word), stage of a failure, and seconds taken.
    [LoggerMessage(2, LogLevel.Information, "scan {ScanId} {Band}: {Outcome} in {Seconds:F1} s, calibrated → {Product}")]
    public static partial void Calibrated(ILogger logger, long scanId, string band, string outcome, double seconds, string product);

    [LoggerMessage(3, LogLevel.Warning, "scan {ScanId} {Band}: {Outcome} in {Stage} after {Seconds:F1} s: {Reason}")]
    public static partial void Failed(ILogger logger, long scanId, string band, string outcome, string stage, double seconds, string reason);

    [LoggerMessage(4, LogLevel.Information, "scan {ScanId} {Band}: {Outcome} after {Seconds:F1} s, {Reason}")]
    public static partial void NotCalibrated(ILogger logger, long scanId, string band, string outcome, double seconds, string reason);

    [LoggerMessage(5, LogLevel.Warning, "{File}: rejected: {Reason}")]
    public static partial void Rejected(ILogger logger, string file, string reason);

    [LoggerMessage(6, LogLevel.Information, "scan {ScanId} {Band}: WAITING for a calibration scan ({Reason})")]
    public static partial void Waiting(ILogger logger, long scanId, string band, string reason);

    [LoggerMessage(42, LogLevel.Information, "scan {ScanId} {Band}: WAITING ({Reason})")]
    public static partial void WaitingForLater(ILogger logger, long scanId, string band, string reason);

    [LoggerMessage(43, LogLevel.Information, "scan {ScanId} {Band}: going ahead with one calibration: {Note}")]
    public static partial void WentAhead(ILogger logger, long scanId, string band, string note);

    [LoggerMessage(7, LogLevel.Warning, "scan {ScanId} {Band}: FAILED waiting: {Reason}")]
    public static partial void WaitExpired(ILogger logger, long scanId, string band, string reason);

    [LoggerMessage(8, LogLevel.Information, "scan {ScanId} {Band}: left running by a run that died; requeued")]
    public static partial void Recovered(ILogger logger, long scanId, string band);

    [LoggerMessage(9, LogLevel.Information, "stopping: no new scans; scans in flight get {GraceSeconds} s")]
    public static partial void Stopping(ILogger logger, double graceSeconds);

    [LoggerMessage(10, LogLevel.Information, "stopped cleanly")]
    public static partial void Stopped(ILogger logger);

    // The reason is one sentence saying what to do; the exception goes to FaultDetail, at debug level (--verbose).
    [LoggerMessage(11, LogLevel.Critical, "the pipeline failed and the service stops (systemd restarts it): {Reason}")]
    public static partial void Faulted(ILogger logger, string reason);

    [LoggerMessage(13, LogLevel.Debug, "the fault's exception, for a bug report")]
    public static partial void FaultDetail(ILogger logger, Exception error);

    [LoggerMessage(12, LogLevel.Information, "metrics at {MetricsUrl} (health {HealthPath}, readiness {ReadyPath})")]
    public static partial void Serving(ILogger logger, string metricsUrl, string healthPath, string readyPath);

    [LoggerMessage(20, LogLevel.Error, "the drop directory {Drop} cannot be listed ({Reason}); no new scans are seen until it can (tried at every rescan)")]
    public static partial void DropUnreadable(ILogger logger, string drop, string reason);

    [LoggerMessage(40, LogLevel.Information, "the drop directory {Drop} can be listed again")]
    public static partial void DropReadable(ILogger logger, string drop);

    // The error underneath a rejection (the HDF5 error stack): for a debugging session, not the journal.
    [LoggerMessage(41, LogLevel.Debug, "{File}: rejected because of: {Error}")]
    public static partial void RejectedDetail(ILogger logger, string file, string error);

    [LoggerMessage(21, LogLevel.Information, "{File}: requeued in the ledger (scanflow retry); taking it again")]
    public static partial void Requeued(ILogger logger, string file);

    [LoggerMessage(22, LogLevel.Warning, "intake paused: {Reason}; no new scans are taken until there is room again, then intake resumes by itself")]
    public static partial void IntakePaused(ILogger logger, string reason);

    [LoggerMessage(23, LogLevel.Information, "intake resumed: {Free} free on {Mount} (floor {Floor})")]
    public static partial void IntakeResumed(ILogger logger, string free, string mount, string floor);

    [LoggerMessage(24, LogLevel.Critical, "the ledger {Ledger} cannot be written ({Reason}); the service stops so that systemd restarts it once that is fixed")]
    public static partial void LedgerUnwritable(ILogger logger, string ledger, string reason);

    [LoggerMessage(25, LogLevel.Debug, "the ledger write that failed")]
    public static partial void LedgerUnwritableDetail(ILogger logger, Exception error);

    [LoggerMessage(44, LogLevel.Information, "report at {ReportUrl} (the ledger's QA report, kept current in {ReportDirectory})")]
    public static partial void ServingReport(ILogger logger, string reportUrl, string reportDirectory);

    [LoggerMessage(45, LogLevel.Debug, "report of {Scans} scans written into {ReportDirectory} in {Seconds:F2} s")]
    public static partial void ReportWritten(ILogger logger, int scans, string reportDirectory, double seconds);

    // The report is a view: a failure to write it is said once, and calibration goes on.
    [LoggerMessage(46, LogLevel.Warning, "the report in {ReportDirectory} cannot be written ({Reason}); scans are calibrated as before, and it is tried again after the next scan")]
    public static partial void ReportUnwritable(ILogger logger, string reportDirectory, string reason);

    [LoggerMessage(47, LogLevel.Debug, "the report write that failed")]
    public static partial void ReportUnwritableDetail(ILogger logger, Exception error);

    [LoggerMessage(48, LogLevel.Information, "the report in {ReportDirectory} can be written again")]
    public static partial void ReportWritable(ILogger logger, string reportDirectory);

    [LoggerMessage(49, LogLevel.Warning, "the report in {ReportDirectory} was not brought up to date on stop: writing it took longer than {Seconds} s; the next start writes it")]
    public static partial void ReportCutShort(ILogger logger, string reportDirectory, double seconds);

    [LoggerMessage(50, LogLevel.Warning, "scan {ScanId} {Band}: {Warning}")]
    public static partial void PlotWarning(ILogger logger, long scanId, string band, string warning);

    [LoggerMessage(51, LogLevel.Warning, "the listener at {MetricsUrl} is reachable from other machines and asks for no token (Scanflow:AllowUnauthenticated = true): anyone who reaches the port can read metrics, health and the QA report; set {TokenSetting} to require one")]
    public static partial void Unauthenticated(ILogger logger, string metricsUrl, string tokenSetting);
}
