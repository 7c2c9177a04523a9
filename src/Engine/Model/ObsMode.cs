namespace Scanflow.Engine.Model;

/// <summary>Science observing mode: total power ON/OFF, or on-the-fly rows bracketed by OFF blocks.</summary>
public enum ObsMode
{
    /// <summary>Total power: groups of ON dumps between single OFF dumps (<c>TP</c>).</summary>
    TotalPower,

    /// <summary>On-the-fly: rows of short ON dumps across the source, between blocks of OFF dumps (<c>OTF</c>).</summary>
    OnTheFly,
}
