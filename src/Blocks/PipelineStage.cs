namespace Scanflow.Blocks;

/// <summary>The stages of the graph, in flow order (DESIGN.md "Shape").</summary>
public enum PipelineStage
{
    Load,
    Calibrate,
    Atmosphere,
    Prepare,
    Write,
    Record,
}
