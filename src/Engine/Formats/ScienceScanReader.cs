using Scanflow.Engine.Formats.Hdf5;
using Scanflow.Engine.Model;

namespace Scanflow.Engine.Formats;

/// <summary>An open science scan: pointing and time axes are read at once (they are small); counts are read on demand
/// in blocks of dumps by hyperslab, so a scan never has to fit in memory.</summary>
internal sealed class ScienceScanReader : IDisposable
{
    private readonly RawScanFile _scan;
    private readonly Hdf5Dataset _onCounts;
    private readonly Hdf5Dataset _offCounts;

    private ScienceScanReader(RawScanFile scan)
    {
        _scan = scan;
        var header = scan.Header;
        var cache = ChunkCache.BytesFor(header);
        using (var off = scan.File.OpenGroup(RawFormat.OffGroup))
        {
            OffMjd = off.ReadDataset<double>(RawFormat.MjdDataset);
            OffElevationDeg = off.ReadDataset<double>(RawFormat.ElevationDataset);
            OffIntegrationSeconds = off.ReadDoubleAttribute(RawFormat.IntegrationAttribute);
            _offCounts = off.OpenDataset(RawFormat.CountsDataset, cache);
        }

        using (var on = scan.File.OpenGroup(RawFormat.OnGroup))
        {
            OnMjd = on.ReadDataset<double>(RawFormat.MjdDataset);
            OnElevationDeg = on.ReadDataset<double>(RawFormat.ElevationDataset);
            OnOffsetArcsec = on.ReadDataset<double>(RawFormat.OffsetDataset);
            OnIntegrationSeconds = on.ReadDoubleAttribute(RawFormat.IntegrationAttribute);
            _onCounts = on.OpenDataset(RawFormat.CountsDataset, cache);
        }

        RequireFinite(OffMjd, "/off/mjd");
        RequireFinite(OnMjd, "/on/mjd");
        RequireNoInfinity(OnOffsetArcsec, "/on/offset_arcsec");
        RequireElevations(OffElevationDeg, "/off/elevation_deg");
        RequireElevations(OnElevationDeg, "/on/elevation_deg");
    }

    public RawScanHeader Header => _scan.Header;

    public double[] IntermediateFrequencyHz => _scan.IntermediateFrequencyHz;

    public int[] PixelIds => _scan.PixelIds;

    public double[] OffMjd { get; }

    public double[] OffElevationDeg { get; }

    public double OffIntegrationSeconds { get; }

    public double[] OnMjd { get; }

    public double[] OnElevationDeg { get; }

    /// <summary>[n_on × 2], longitude then latitude offset per ON dump.</summary>
    public double[] OnOffsetArcsec { get; }

    public double OnIntegrationSeconds { get; }

    /// <summary>Elements in one dump of counts (pixels × channels).</summary>
    public int DumpLength => Header.Pixels * Header.Channels;

    public static ScienceScanReader Open(string path)
    {
        var scan = RawScanFile.Open(path);
        try
        {
            if (scan.Header.Kind != ScanKind.Science)
            {
                throw new ScanFormatException(
                    ScanFormatProblem.InvalidValue, path, $"/ attribute '{RawFormat.KindAttribute}'", "is 'cal'; expected a science scan ('science')");
            }

            return new ScienceScanReader(scan);
        }
        catch (Hdf5Exception e)
        {
            scan.Dispose();
            throw new ScanFormatException(ScanFormatProblem.Unreadable, path, e.ObjectPath ?? "/", e.Message, e);
        }
        catch
        {
            scan.Dispose();
            throw;
        }
    }

    /// <summary>Reads ON dumps [first, first + count) into <paramref name="destination"/> (count × pixels × channels).</summary>
    public void ReadOnDumps(int first, int count, Span<float> destination) => ReadOn(new CountsBlock(first, count, 0, Header.Pixels), destination);

    /// <summary>Reads the ON counts of <paramref name="block"/> into <paramref name="destination"/>.</summary>
    public void ReadOn(CountsBlock block, Span<float> destination) => Read(_onCounts, block, destination);

    /// <summary>Reads OFF dumps [first, first + count) into <paramref name="destination"/>.</summary>
    public void ReadOffDumps(int first, int count, Span<float> destination) => Read(_offCounts, new CountsBlock(first, count, 0, Header.Pixels), destination);

    public void Dispose()
    {
        _onCounts.Dispose();
        _offCounts.Dispose();
        _scan.Dispose();
    }

    private void Read(Hdf5Dataset counts, CountsBlock block, Span<float> destination)
    {
        try
        {
            counts.Read(destination[..block.Length(Header.Channels)], [block.FirstDump, block.FirstPixel, 0], [block.Dumps, block.Pixels, Header.Channels]);
        }
        catch (Hdf5Exception e)
        {
            throw new ScanFormatException(
                ScanFormatProblem.Unreadable, Header.FilePath, counts.ObjectPath, $"dumps {block.FirstDump}–{block.FirstDump + block.Dumps - 1} cannot be read: {e.Message}", e);
        }
    }

    private void RequireFinite(double[] values, string path)
    {
        if (values.Any(v => !double.IsFinite(v)))
        {
            throw new ScanFormatException(ScanFormatProblem.NonFiniteData, Header.FilePath, path, "contains NaN or infinite values; expected finite MJDs");
        }
    }

    // Copied into the product, where no ±∞ may appear; NaN (an unknown offset) is kept.
    private void RequireNoInfinity(double[] values, string path)
    {
        if (values.Any(double.IsInfinity))
        {
            throw new ScanFormatException(ScanFormatProblem.NonFiniteData, Header.FilePath, path, "contains infinite values; expected offsets in arcsec (NaN where unknown)");
        }
    }

    private void RequireElevations(double[] values, string path)
    {
        var bad = Array.FindIndex(values, v => !(v > 0 && v <= 90));
        if (bad >= 0)
        {
            throw new ScanFormatException(
                ScanFormatProblem.InvalidValue, Header.FilePath, path, $"dump {bad} has elevation {values[bad]}; expected degrees in (0, 90]");
        }
    }
}
