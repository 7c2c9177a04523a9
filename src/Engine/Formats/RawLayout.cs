namespace Scanflow.Engine.Formats;

/// <summary>How a raw writer stores counts; readers must accept all three (formats.md).</summary>
public enum RawLayout
{
    /// <summary>One contiguous block per dataset.</summary>
    Contiguous,

    /// <summary>One chunk per dump.</summary>
    Chunked,

    /// <summary>One chunk per dump, shuffled and gzip-compressed.</summary>
    Gzip,
}
