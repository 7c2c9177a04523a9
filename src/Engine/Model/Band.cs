namespace Scanflow.Engine.Model;

/// <summary>CHAI receiver band: LFA 455–495 GHz, HFA 780–830 GHz.</summary>
public enum Band
{
    Lfa,
    Hfa,
}
