namespace Scanflow.Blocks;

/// <summary>The stages of the graph, in flow order (docs/architecture.md). Adding one: a member here, its name and
/// default in <see cref="PipelineStages"/>, its block in <see cref="CalibrationGraph"/>, its line in the docs.</summary>
public enum PipelineStage
{
    Load,
    Calibrate,
    Atmosphere,
    Prepare,
    Write,
    Record,
}
