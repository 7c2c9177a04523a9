namespace Scanflow.Host.Tests;

public class PlaceholderTests
{
    [Fact]
    public void Host_assembly_loads() => Assert.NotNull(typeof(Scanflow.Engine.Model.Band).Assembly);
}
