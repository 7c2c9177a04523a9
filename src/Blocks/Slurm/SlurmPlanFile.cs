using System.Text.Json;

namespace Scanflow.Blocks;

/// <summary>Writes and reads a <see cref="SlurmPlan"/> as JSON (<see cref="SlurmJson"/>). A plan appears complete under its
/// name or not at all: it is written to a temporary name, synced and renamed, so an array task never reads half of one.</summary>
internal static class SlurmPlanFile
{
    /// <summary>Writes <paramref name="plan"/> to <paramref name="path"/>, replacing a plan already there.</summary>
    public static void Write(string path, SlurmPlan plan)
    {
        var temporary = path + ".tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, plan, SlurmJson.Plan);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Reads the plan at <paramref name="path"/>. A missing file throws the I/O exception that says so; a file
    /// that is not a plan of this version, or whose scans are inconsistent, an <see cref="InvalidDataException"/> naming it.</summary>
    public static SlurmPlan Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            // The version first: a later format may not deserialize as this one, and the version is what to report.
            using (var document = JsonDocument.Parse(bytes))
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object
                    || !document.RootElement.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number)
                {
                    throw new InvalidDataException($"{path}: not a Scanflow SLURM plan (no \"version\")");
                }

                if (!version.TryGetInt32(out var number) || number != SlurmPlan.CurrentVersion)
                {
                    throw new InvalidDataException($"{path}: SLURM plan format version {version.GetRawText()}; this scanflow reads version {SlurmPlan.CurrentVersion}");
                }
            }

            var plan = JsonSerializer.Deserialize<SlurmPlan>(bytes, SlurmJson.Plan)
                ?? throw new InvalidDataException($"{path}: not a Scanflow SLURM plan (null)");
            Check(path, plan);
            return plan;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a Scanflow SLURM plan ({e.Message})", e);
        }
    }

    private static void Check(string path, SlurmPlan plan)
    {
        for (var shard = 0; shard < plan.Shards.Count; shard++)
        {
            foreach (var scan in plan.Shards[shard])
            {
                if (scan.CalibrationFiles.Count is < 1 or > 2 || scan.CalibrationSha256.Count != scan.CalibrationFiles.Count)
                {
                    throw new InvalidDataException(
                        $"{path}: shard {shard}, scan {scan.ScanId}: {scan.CalibrationFiles.Count} calibration files and {scan.CalibrationSha256.Count} checksums (one or two of each expected)");
                }
            }
        }
    }
}
