namespace Scanflow.Engine.Formats;

/// <summary>A raw scan that breaks the chai-raw contract: names the file, the object and what was expected.</summary>
public sealed class ScanFormatException : Exception
{
    /// <summary>A <paramref name="problem"/> in <paramref name="filePath"/> at the HDF5 object <paramref name="objectPath"/>,
    /// with <paramref name="detail"/> saying what was expected; the message joins the three.</summary>
    public ScanFormatException(ScanFormatProblem problem, string filePath, string objectPath, string detail, Exception? inner = null)
        : base($"{filePath}: {objectPath}: {detail}", inner)
    {
        Problem = problem;
        FilePath = filePath;
        ObjectPath = objectPath;
        Detail = detail;
    }

    /// <summary>What kind of defect it is: missing, wrong shape, invalid value, torn file, non-finite data, axis mismatch.</summary>
    public ScanFormatProblem Problem { get; }

    /// <summary>The scan file that breaks the contract.</summary>
    public string FilePath { get; }

    /// <summary>The HDF5 object (group, dataset or attribute path) at fault.</summary>
    public string ObjectPath { get; }

    /// <summary>What was found and what was expected.</summary>
    public string Detail { get; }

    /// <summary>The message without the file, for a line or record that names the file already: the detail alone when
    /// the whole file is at fault, <c>&lt;object&gt;: &lt;detail&gt;</c> otherwise.</summary>
    internal string Reason => ObjectPath == "/" ? Detail : $"{ObjectPath}: {Detail}";
}
