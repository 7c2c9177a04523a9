namespace Scanflow.Engine.Formats.Hdf5;

/// <summary>Absolute HDF5 paths of objects, for messages and <see cref="Hdf5Object.ObjectPath"/>.</summary>
internal static class Hdf5ObjectPath
{
    internal const string Root = "/";

    /// <summary>The absolute path of <paramref name="name"/> seen from the group at <paramref name="parent"/>.</summary>
    internal static string Combine(string parent, string name)
    {
        if (name.StartsWith('/'))
        {
            return name.Length > 1 ? name.TrimEnd('/') : Root;
        }

        var relative = name.TrimEnd('/');
        return parent == Root ? Root + relative : parent + "/" + relative;
    }
}
