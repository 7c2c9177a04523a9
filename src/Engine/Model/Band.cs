namespace Scanflow.Engine.Model;

/// <summary>CHAI receiver band: LFA 455–495 GHz, HFA 780–830 GHz.</summary>
public enum Band
{
    /// <summary>Low-frequency array, 455–495 GHz (<c>LFA</c>).</summary>
    Lfa,

    /// <summary>High-frequency array, 780–830 GHz (<c>HFA</c>).</summary>
    Hfa,
}
