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

    public static StockNetExecutable StockNet => StockNetExecutable.FromDll(StockNetCliDll);
}
