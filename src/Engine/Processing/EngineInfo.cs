using System.Reflection;

namespace Scanflow.Engine.Processing;

/// <summary>The engine's version as recorded in provenance: the informational version, with the git commit when the
/// build knew it (<c>0.1.0+abc123…</c>).</summary>
internal static class EngineInfo
{
    public static string Version { get; } =
        typeof(EngineInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
