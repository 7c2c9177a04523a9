namespace Scanflow.Perf;

internal static class Program
{
    public static void Main() { }
}
