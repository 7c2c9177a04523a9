namespace Scanflow.Blocks;

/// <summary>A moment's view of one stage: items waiting in its queue and items being worked on.</summary>
public readonly record struct StageActivity(PipelineStage Stage, int Queued, int Busy);
