using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scanflow.Engine.Simulation;

/// <summary><c>truth.json</c>: everything the simulator injected, so tests can check a pipeline against it. Several
/// simulator runs into one directory append to the same file.</summary>
public sealed record SimulationTruth(
    [property: JsonPropertyName("jmode")] string JMode,
    string AtmosphereModel,
    bool Noise,
    List<CalibrationTruth> Calibrations,
    List<ScienceTruth> Science)
{
    /// <summary>The truth file's name in the simulator's output directory.</summary>
    public const string FileName = "truth.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The calibration scan that <paramref name="science"/> was simulated with.</summary>
    public CalibrationTruth CalibrationOf(ScienceTruth science) =>
        Calibrations.Single(c => c.ScanId == science.CalibrationScanId);

    /// <summary>Reads <c>truth.json</c> from <paramref name="directory"/>.</summary>
    public static SimulationTruth Load(string directory) =>
        JsonSerializer.Deserialize<SimulationTruth>(File.ReadAllText(Path.Combine(directory, FileName)), Json)
        ?? throw new InvalidDataException($"{Path.Combine(directory, FileName)} is empty");

    /// <summary>Writes <c>truth.json</c> to <paramref name="directory"/>, replacing it atomically.</summary>
    public void Save(string directory)
    {
        var path = Path.Combine(directory, FileName);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(this, Json));
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
