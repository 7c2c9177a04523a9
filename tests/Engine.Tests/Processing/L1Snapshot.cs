using Scanflow.Engine.Formats;
using Scanflow.Engine.Formats.Hdf5;

namespace Scanflow.Engine.Tests.Processing;

/// <summary>An L1 file read whole (tests use small scans).</summary>
internal sealed record L1Snapshot(
    int Dumps, int Pixels, int Channels, float[] TaStar, float[] Trx, float[] Tsys, float[] TauSignal, float[] TrSignal, byte[] ChannelFlag,
    byte[] DumpFlag, double[] FrequencyHz, double[] OffsetArcsec, double PwvMm)
{
    public static L1Snapshot Read(string path)
    {
        using var file = Hdf5File.OpenRead(path);
        using var ta = file.OpenDataset(L1Format.TaStarDataset);
        return new L1Snapshot(
            (int)ta.Dimensions[0], (int)ta.Dimensions[1], (int)ta.Dimensions[2], ta.ReadAll<float>(),
            file.ReadDataset<float>(L1Format.ReceiverTemperatureDataset), file.ReadDataset<float>(L1Format.SystemTemperatureDataset),
            file.ReadDataset<float>(L1Format.TauSignalDataset), file.ReadDataset<float>(L1Format.TransmissionSignalDataset),
            file.ReadDataset<byte>(L1Format.ChannelFlagDataset), file.ReadDataset<byte>(L1Format.DumpFlagDataset),
            file.ReadDataset<double>(L1Format.FrequencyDataset), file.ReadDataset<double>(L1Format.OffsetDataset), file.ReadDoubleAttribute("pwv_mm"));
    }
}
