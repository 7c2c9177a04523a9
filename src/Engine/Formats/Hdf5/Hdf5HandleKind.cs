namespace Scanflow.Engine.Formats.Hdf5;

/// <summary>What an HDF5 id refers to, which decides the H5?close function that releases it.</summary>
internal enum Hdf5HandleKind
{
    File,
    Group,
    Dataset,
    Dataspace,
    Datatype,
    Attribute,
    PropertyList,
}
