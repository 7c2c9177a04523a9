namespace Scanflow.Engine.Model;

/// <summary>Signal sideband: USB means ν_s = LO + IF, LSB means ν_s = LO − IF.</summary>
public enum Sideband
{
    Usb,
    Lsb,
}
