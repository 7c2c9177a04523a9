namespace Scanflow.Engine.Model;

/// <summary>Signal sideband: USB means ν_s = LO + IF, LSB means ν_s = LO − IF.</summary>
public enum Sideband
{
    /// <summary>Upper sideband: ν_s = LO + IF (<c>USB</c>).</summary>
    Usb,

    /// <summary>Lower sideband: ν_s = LO − IF (<c>LSB</c>).</summary>
    Lsb,
}
