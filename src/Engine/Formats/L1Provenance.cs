using Scanflow.Engine.Formats.Hdf5;

namespace Scanflow.Engine.Formats;

/// <summary>What an existing L1 product says made it: enough to tell whether it is the product of given inputs.</summary>
internal sealed record L1Provenance(string InputSha256, string ConfigSha256, IReadOnlyList<string> CalibrationInputSha256, string EngineVersion)
{
    /// <summary>Reads the provenance attributes; null when the file is not a readable L1 product.</summary>
    public static L1Provenance? Read(string path)
    {
        try
        {
            using var file = Hdf5File.OpenRead(path);
            return file.ReadStringAttribute("format") != L1Format.Name
                ? null
                : new L1Provenance(
                    file.ReadStringAttribute("input_sha256"), file.ReadStringAttribute("config_sha256"),
                    file.ReadStringArrayAttribute("calibration_input_sha256"), file.ReadStringAttribute("engine_version"));
        }
        catch (Hdf5Exception)
        {
            return null;
        }
    }
}
