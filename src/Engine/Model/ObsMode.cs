namespace Scanflow.Engine.Model;

/// <summary>Science observing mode: total power ON/OFF, or on-the-fly rows bracketed by OFF blocks.</summary>
public enum ObsMode
{
    TotalPower,
    OnTheFly,
}
