using System.Reflection;
using StockNet.Cluster;

namespace StockNet.IntegrationTests.Infrastructure;

/// <summary>Where the built CLI is: recorded by the csproj at build time, never guessed from bin/ paths.</summary>
public static class BuildPaths
{
    public static string StockNetCliDll { get; } = typeof(BuildPaths).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "StockNetCliDll")
        .Value!;

    /// <summary>The repository's root folder, for tests that hold the docs to the code.</summary>
    public static string RepositoryRoot { get; } = Path.GetFullPath(typeof(BuildPaths).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "RepositoryRoot")
        .Value!);

    public static StockNetExecutable StockNet => StockNetExecutable.FromDll(StockNetCliDll);
}
