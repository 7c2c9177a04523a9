using Scanflow.Engine.Processing;

namespace Scanflow.Engine.Tests;

/// <summary>Public is a promise to users of the library (issue 9): the engine keeps its public surface small, and
/// PublicAPI.*.txt lists it member by member. These checks hold the line beyond the analyzer.</summary>
public class PublicApiTests
{
    private const int MaximumPublicTypes = 50;

    private static readonly Type[] PublicTypes = typeof(CalibrationOptions).Assembly.GetExportedTypes();

    [Fact]
    public void Engine_has_at_most_50_public_types_9()
    {
        Assert.True(
            PublicTypes.Length <= MaximumPublicTypes,
            $"Scanflow.Engine has {PublicTypes.Length} public types, more than {MaximumPublicTypes}: "
            + string.Join(", ", PublicTypes.Select(t => t.FullName).Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void Hdf5_binding_is_internal_9()
    {
        Assert.DoesNotContain(PublicTypes, t => t.Namespace == "Scanflow.Engine.Formats.Hdf5");
    }
}
