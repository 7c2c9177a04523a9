using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Quality;

namespace Scanflow.Engine.Processing;

/// <summary>
/// One science scan being calibrated into one L1 product, step by step: open, apply a calibration, then per block of
/// ON dumps read, calibrate (in place) and write, and finally commit. The graph runs these steps as its stages and
/// <see cref="ScienceScanCalibrator"/> runs them in a loop, so both produce the same product. Disposing without a
/// commit abandons the product: its temporary file is removed.
/// </summary>
internal sealed class ScienceScanCalibration : IDisposable
{
    private readonly string _productPath;
    private readonly CalibrationOptions _options;
    private readonly string _inputSha256;
    private readonly DateTimeOffset _createdUtc;
    private ScienceScanReader? _reader;
    private L1Writer? _writer;

    private ScienceScanCalibration(ScienceScanReader reader, string outputDirectory, CalibrationOptions options, string inputSha256, DateTimeOffset createdUtc)
    {
        _reader = reader;
        _productPath = L1FileNaming.PathFor(outputDirectory, reader.Header);
        _options = options;
        _inputSha256 = inputSha256;
        _createdUtc = createdUtc;
    }

    public ScienceScanReader Reader => _reader ?? throw new ObjectDisposedException(nameof(ScienceScanCalibration));

    /// <summary>The scan's QA; set by <see cref="Close"/>.</summary>
    public ScanQuality? Quality { get; private set; }

    /// <summary>The products besides the L1 file that <see cref="Commit"/> published (the QA metrics).</summary>
    public IReadOnlyList<ProductFile> QualityProducts { get; private set; } = [];

    /// <summary>The path the L1 file is published under.</summary>
    public string ProductPath => _productPath;

    /// <summary>The scan's calibration; set by <see cref="Apply"/>.</summary>
    public ScienceScanContext? Context { get; private set; }

    /// <summary>Opens the raw science scan whose checksum is <paramref name="inputSha256"/>; its product will go to
    /// <paramref name="outputDirectory"/>, recording <paramref name="options"/> and <paramref name="createdUtc"/>.</summary>
    public static ScienceScanCalibration Open(
        string sciencePath, string inputSha256, string outputDirectory, CalibrationOptions options, DateTimeOffset createdUtc) =>
        new(ScienceScanReader.Open(sciencePath), outputDirectory, options, inputSha256, createdUtc);

    /// <summary>The scan's blocks of ON counts of about <paramref name="chunkBytes"/> each (<see cref="ScanChunking"/>).</summary>
    public IEnumerable<CountsBlock> Blocks(long chunkBytes) => ScanChunking.Blocks(Reader.Header, chunkBytes);

    /// <summary>Values in the largest of those blocks.</summary>
    public int BlockLength(long chunkBytes) => ScanChunking.BlockLength(Reader.Header, chunkBytes);

    /// <summary>Reads the ON counts of <paramref name="block"/> into <paramref name="buffer"/>.</summary>
    public void Read(CountsBlock block, Span<float> buffer) => Reader.ReadOn(block, buffer);

    /// <summary>The calibration at the scan's mean ON airmass and its OFF interpolation; <paramref name="fallbackPwvMm"/>
    /// is the last good PWV of the band, used when this calibration's fit failed (§2.5); <paramref name="gain"/>, with linear
    /// gain interpolation, C₂ or why there is none (§7.10).</summary>
    public ScienceScanContext Apply(CalibrationProducts calibration, double? fallbackPwvMm, SecondCalibration? gain = null) =>
        Context = ScienceScanContext.Create(Reader, calibration, fallbackPwvMm, gain);

    /// <summary>Turns the counts of <paramref name="block"/> in <paramref name="buffer"/> into T_A*, in place.</summary>
    public void Calibrate(CountsBlock block, Span<float> buffer)
    {
        var context = Context ?? throw new InvalidOperationException("Apply a calibration before calibrating dumps.");
        var values = buffer[..block.Length(Reader.Header.Channels)];
        context.Calibrate(block, values, values);
    }

    /// <summary>Appends T_A* of <paramref name="block"/> to the product, creating it (as a temporary file) first.</summary>
    public void Write(CountsBlock block, ReadOnlySpan<float> taStar)
    {
        _writer ??= L1Writer.Create(
            _productPath,
            L1ContentBuilder.Build(Context ?? throw new InvalidOperationException("Apply a calibration before writing."), _options, _inputSha256, _createdUtc));
        var pixels = Reader.Header.Pixels;
        _writer.Write(block, taStar, Context!.DumpFlags.AsSpan((block.FirstDump * pixels) + block.FirstPixel, block.Dumps * block.Pixels));
    }

    /// <summary>Ends the writing: fails the scan when no ON dump had valid counts, else closes the product's file and
    /// lets the raw scan and its calibration go (at CHAI's shape hundreds of MiB), before the slow part of
    /// <see cref="Commit"/>.</summary>
    public void Close()
    {
        var writer = _writer ?? throw new InvalidOperationException("Nothing was written.");
        Context?.RequireValidOnCounts();
        writer.Close();
        Quality = Context is { } context ? ScanQualityBuilder.Build(context, _options.SuspectRadiometerRatio) : null;
        Context = null;
        _reader?.Dispose();
        _reader = null;
    }

    /// <summary>Closes (if not yet), publishes the QA metrics beside the product, then syncs, renames into place and
    /// checksums the product: a published L1 file always has its <c>qa.json</c>.</summary>
    public L1Product Commit()
    {
        if (_reader is not null)
        {
            Close();
        }

        if (Quality is { } quality)
        {
            QualityProducts = [QualityJson.Publish(quality, _productPath)];
        }

        try
        {
            return _writer!.Commit();
        }
        catch
        {
            SidecarFile.Remove(QualityProducts);
            QualityProducts = [];
            throw;
        }
    }

    /// <summary>Closes the scan and abandons an uncommitted product.</summary>
    public void Dispose()
    {
        _writer?.Dispose();
        _writer = null;
        _reader?.Dispose();
        _reader = null;
    }
}
