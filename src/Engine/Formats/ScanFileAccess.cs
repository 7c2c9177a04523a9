using Scanflow.Engine.Formats.Hdf5;

namespace Scanflow.Engine.Formats;

/// <summary>Reads required attributes and datasets of a raw scan, turning every absence or mismatch into a
/// <see cref="ScanFormatException"/> that names the file, the object and what was expected.</summary>
internal static class ScanFileAccess
{
    public static string RequireString(Hdf5Object owner, string name)
    {
        RequireAttribute(owner, name, "a string");
        try
        {
            return owner.ReadStringAttribute(name);
        }
        catch (Hdf5Exception e)
        {
            throw Invalid(owner, name, "expected a string attribute", e);
        }
    }

    public static double RequireDouble(Hdf5Object owner, string name, Func<double, bool> isValid, string allowed)
    {
        RequireAttribute(owner, name, allowed);
        double value;
        try
        {
            value = owner.ReadDoubleAttribute(name);
        }
        catch (Hdf5Exception e)
        {
            throw Invalid(owner, name, $"expected a number ({allowed})", e);
        }

        if (!isValid(value))
        {
            throw Invalid(owner, name, $"value {value} is not allowed; expected {allowed}");
        }

        return value;
    }

    public static double? OptionalDouble(Hdf5Object owner, string name, Func<double, bool> isValid, string allowed) =>
        owner.HasAttribute(name) ? RequireDouble(owner, name, isValid, allowed) : null;

    public static long RequireInt64(Hdf5Object owner, string name)
    {
        RequireAttribute(owner, name, "an integer");
        try
        {
            return owner.ReadInt64Attribute(name);
        }
        catch (Hdf5Exception e)
        {
            throw Invalid(owner, name, "expected an integer attribute", e);
        }
    }

    public static T RequireEnum<T>(Hdf5Object owner, string name, TryParse<T> parse, string allowed)
    {
        var text = RequireString(owner, name);
        return parse(text, out var value)
            ? value
            : throw Invalid(owner, name, $"value '{text}' is not allowed; expected {allowed}");
    }

    public static Hdf5Group RequireGroup(Hdf5Group parent, string name)
    {
        if (!parent.Contains(name))
        {
            throw new ScanFormatException(ScanFormatProblem.Missing, parent.FilePath, Join(parent.ObjectPath, name), "group is missing");
        }

        return parent.OpenGroup(name);
    }

    /// <summary>Opens a dataset and checks its rank, axis lengths (null = any length ≥ 1) and numeric kind.</summary>
    public static Hdf5Dataset RequireDataset(Hdf5Group parent, string name, long?[] shape, bool floatingPoint, long chunkCacheBytes = 0)
    {
        var path = Join(parent.ObjectPath, name);
        if (!parent.Contains(name))
        {
            throw new ScanFormatException(ScanFormatProblem.Missing, parent.FilePath, path, $"dataset is missing; expected shape {Describe(shape)}");
        }

        var dataset = parent.OpenDataset(name, chunkCacheBytes);
        var dims = dataset.Dimensions;
        var shapeOk = dims.Length == shape.Length;
        for (var i = 0; shapeOk && i < dims.Length; i++)
        {
            shapeOk = shape[i] is { } expected ? dims[i] == expected : dims[i] >= 1;
        }

        if (!shapeOk)
        {
            dataset.Dispose();
            throw new ScanFormatException(
                ScanFormatProblem.WrongShape, parent.FilePath, path, $"has shape [{string.Join(", ", dims)}]; expected {Describe(shape)}");
        }

        var kindOk = floatingPoint
            ? dataset.ElementKind is Hdf5ElementKind.Float32 or Hdf5ElementKind.Float64
            : dataset.ElementKind is not (Hdf5ElementKind.Float16 or Hdf5ElementKind.Float32 or Hdf5ElementKind.Float64 or Hdf5ElementKind.String or Hdf5ElementKind.Other);
        if (!kindOk)
        {
            dataset.Dispose();
            throw new ScanFormatException(
                ScanFormatProblem.WrongShape, parent.FilePath, path,
                $"has element type {Describe(dataset.ElementKind, dataset.ElementSize)}; expected {(floatingPoint ? "float32 or float64: write it as float32" : "an integer type")}");
        }

        return dataset;
    }

    public static ScanFormatException Invalid(Hdf5Object owner, string attribute, string detail, Exception? inner = null) =>
        new(ScanFormatProblem.InvalidValue, owner.FilePath, AttributePath(owner, attribute), detail, inner);

    public static string AttributePath(Hdf5Object owner, string attribute) => $"{owner.ObjectPath} attribute '{attribute}'";

    public static string Join(string group, string name) => group.EndsWith('/') ? group + name : $"{group}/{name}";

    private static void RequireAttribute(Hdf5Object owner, string name, string expected)
    {
        if (!owner.HasAttribute(name))
        {
            throw new ScanFormatException(ScanFormatProblem.Missing, owner.FilePath, AttributePath(owner, name), $"attribute is missing; expected {expected}");
        }
    }

    /// <summary>An element type as NumPy and h5py users know it (<c>float16</c>, <c>uint8</c>), for a sentence.</summary>
    private static string Describe(Hdf5ElementKind kind, long size) => kind switch
    {
        Hdf5ElementKind.String => "string",
        Hdf5ElementKind.Other => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"unsupported ({size} bytes per element)"),
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string Describe(long?[] shape) => "[" + string.Join(", ", shape.Select(n => n?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "n")) + "]";

    public delegate bool TryParse<T>(string text, out T value);
}
