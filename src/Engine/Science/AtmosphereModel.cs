using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Scanflow.Engine.Science;

/// <summary>
/// Single-slab zenith opacity τ_z(ν, PWV) = τ_dry(ν) + PWV·κ_wet(ν) from column-averaged
/// Van Vleck–Weisskopf lines plus a ν² continuum (calibration.md §2.1, constants §2.2).
/// </summary>
internal sealed class AtmosphereModel
{
    private const string Name = "scanflow-slab";
    private const string Version = "1.0";

    private readonly double _waterWidthGhz;
    private readonly double _dryWidthGhz;
    private readonly double _waterContinuumNpPerMm;
    private readonly double _dryContinuumNp;
    private readonly double[] _waterLineGhz;
    private readonly double[] _waterStrength;
    private readonly double[] _dryLineGhz;
    private readonly double[] _dryStrength;

    private AtmosphereModel(
        double waterWidthGhz,
        double dryWidthGhz,
        double waterContinuumNpPerMm,
        double dryContinuumNp,
        double[] waterLineGhz,
        double[] waterStrength,
        double[] dryLineGhz,
        double[] dryStrength)
    {
        _waterWidthGhz = waterWidthGhz;
        _dryWidthGhz = dryWidthGhz;
        _waterContinuumNpPerMm = waterContinuumNpPerMm;
        _dryContinuumNp = dryContinuumNp;
        _waterLineGhz = waterLineGhz;
        _waterStrength = waterStrength;
        _dryLineGhz = dryLineGhz;
        _dryStrength = dryStrength;
        ConstantsTable = SerialiseConstants();
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ConstantsTable)));
        Id = $"{Name} {Version} sha256:{hash[..12]}";
    }

    /// <summary>The constants of calibration.md §2.2, exactly as tabulated.</summary>
    public static AtmosphereModel Default { get; } = new(
        waterWidthGhz: 1.6,
        dryWidthGhz: 1.2,
        waterContinuumNpPerMm: 0.85,
        dryContinuumNp: 0.06,
        waterLineGhz:
        [
            183.310, 325.153, 380.197, 448.001, 474.689, 488.491, 556.936, 620.701, 752.033,
            916.172, 970.315, 987.927, 1097.365, 1113.343, 1162.912, 1207.639, 1228.789,
        ],
        waterStrength: [156, 130, 313, 78, 26, 5, 4172, 52, 4172, 313, 313, 3129, 5215, 4172, 4172, 1043, 2086],
        dryLineGhz: [118.750, 368.498, 424.763, 487.249, 715.393, 773.840, 834.146],
        dryStrength: [0.25, 0.10, 0.30, 0.25, 0.25, 0.35, 0.30]);

    /// <summary>Model name, version and the first 12 hex digits of the SHA-256 of <see cref="ConstantsTable"/>.</summary>
    public string Id { get; }

    /// <summary>
    /// The invariant serialisation the id hashes: one <c>key=value</c> line per constant (LF-terminated,
    /// round-trip "R" invariant formatting), lines as <c>h2o=ν_GHz:A</c> and <c>o2=ν_GHz:D</c> in table order.
    /// </summary>
    internal string ConstantsTable { get; }

    /// <summary>τ_dry(ν) [Np] (calibration.md §2.1).</summary>
    public double DryOpacity(double frequencyHz)
    {
        double ghz = frequencyHz / 1e9;
        return LineSum(ghz, _dryLineGhz, _dryStrength, _dryWidthGhz) + _dryContinuumNp * Square(ghz / 1000.0);
    }

    /// <summary>κ_wet(ν) [Np per mm PWV] (calibration.md §2.1).</summary>
    public double WetOpacityPerMm(double frequencyHz)
    {
        double ghz = frequencyHz / 1e9;
        return LineSum(ghz, _waterLineGhz, _waterStrength, _waterWidthGhz) + _waterContinuumNpPerMm * Square(ghz / 1000.0);
    }

    /// <summary>τ_z = τ_dry + PWV·κ_wet [Np] (calibration.md §2.1).</summary>
    public double ZenithOpacity(double frequencyHz, double pwvMm) => DryOpacity(frequencyHz) + pwvMm * WetOpacityPerMm(frequencyHz);

    // Σ S·F(ν; ν0, γ), summed in table order; F is the Van Vleck–Weisskopf profile of §2.1 (GHz units, S in GHz·Np).
    private static double LineSum(double ghz, double[] lineGhz, double[] strength, double widthGhz)
    {
        double sum = 0.0;
        for (int j = 0; j < lineGhz.Length; j++)
        {
            sum += strength[j] * VanVleckWeisskopf(ghz, lineGhz[j], widthGhz);
        }

        return sum;
    }

    private static double VanVleckWeisskopf(double ghz, double lineGhz, double widthGhz)
    {
        double ratio = ghz / lineGhz;
        double gamma2 = widthGhz * widthGhz;
        return ratio * ratio * (widthGhz / Math.PI)
            * ((1.0 / (Square(ghz - lineGhz) + gamma2)) + (1.0 / (Square(ghz + lineGhz) + gamma2)));
    }

    private static double Square(double x) => x * x;

    private string SerialiseConstants()
    {
        var text = new StringBuilder();
        Line("gamma_w_ghz", _waterWidthGhz);
        Line("gamma_d_ghz", _dryWidthGhz);
        Line("c_w_np_per_mm", _waterContinuumNpPerMm);
        Line("c_d_np", _dryContinuumNp);
        for (int j = 0; j < _waterLineGhz.Length; j++)
        {
            text.Append(CultureInfo.InvariantCulture, $"h2o={_waterLineGhz[j]:R}:{_waterStrength[j]:R}\n");
        }

        for (int m = 0; m < _dryLineGhz.Length; m++)
        {
            text.Append(CultureInfo.InvariantCulture, $"o2={_dryLineGhz[m]:R}:{_dryStrength[m]:R}\n");
        }

        return text.ToString();

        void Line(string key, double value) => text.Append(CultureInfo.InvariantCulture, $"{key}={value:R}\n");
    }
}
