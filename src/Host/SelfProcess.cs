using System.Diagnostics;

namespace Scanflow.Host;

/// <summary>Starts this same executable with other arguments (under <c>dotnet</c> when that is how it runs).</summary>
internal static class SelfProcess
{
    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(SelfProcess).Assembly.Location);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }
}
