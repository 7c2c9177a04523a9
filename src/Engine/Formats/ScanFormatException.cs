namespace Scanflow.Engine.Formats;

/// <summary>A raw scan that breaks the chai-raw contract: names the file, the object and what was expected.</summary>
public sealed class ScanFormatException : Exception
{
    public ScanFormatException(ScanFormatProblem problem, string filePath, string objectPath, string detail, Exception? inner = null)
        : base($"{filePath}: {objectPath}: {detail}", inner)
    {
        Problem = problem;
        FilePath = filePath;
        ObjectPath = objectPath;
        Detail = detail;
    }

    public ScanFormatProblem Problem { get; }

    public string FilePath { get; }

    public string ObjectPath { get; }

    public string Detail { get; }
}
