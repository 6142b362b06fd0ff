using System.Diagnostics;

namespace StockNet.Cluster;

/// <summary>
/// How to start the <c>stocknet</c> CLI as a child process: either its apphost directly, or the
/// <c>dotnet</c> host with <c>stocknet.dll</c> (what tests do, since they never use <c>dotnet run</c>).
/// </summary>
public sealed record StockNetExecutable(string FileName, string? Assembly)
{
    /// <summary>A command the child runs under, such as <c>ip netns exec name</c>; it must exec the rest in place, keeping the process id.</summary>
    public IReadOnlyList<string> Launcher { get; init; } = [];

    /// <summary>This executable, started under <paramref name="launcher"/>.</summary>
    public StockNetExecutable Under(params IReadOnlyList<string> launcher) => this with { Launcher = launcher };

    /// <summary>The executable that runs this very process, so that <c>stocknet up</c> starts copies of itself.</summary>
    public static StockNetExecutable FromCurrentProcess()
    {
        var processPath = Environment.ProcessPath
            ?? throw new InvalidOperationException("The path of the current process is unknown.");
        if (!IsDotnetHost(processPath))
        {
            return new StockNetExecutable(processPath, null);
        }

        var entry = System.Reflection.Assembly.GetEntryAssembly()?.Location;
        return string.IsNullOrEmpty(entry)
            ? throw new InvalidOperationException("The entry assembly of the current process is unknown.")
            : new StockNetExecutable(processPath, entry);
    }

    /// <summary>Runs a built <c>stocknet.dll</c> with the <c>dotnet</c> host that runs this process, or the one on the PATH.</summary>
    public static StockNetExecutable FromDll(string dllPath)
    {
        if (!File.Exists(dllPath))
        {
            throw new FileNotFoundException($"stocknet.dll is not at {dllPath}; build the CLI first.", dllPath);
        }

        return new StockNetExecutable(FindDotnetHost(), Path.GetFullPath(dllPath));
    }

    /// <summary>The start information for one child; the caller adds environment variables.</summary>
    public ProcessStartInfo CreateStartInfo(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(Launcher.Count > 0 ? Launcher[0] : FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        if (Launcher.Count > 0)
        {
            foreach (var part in Launcher.Skip(1).Append(FileName))
            {
                info.ArgumentList.Add(part);
            }
        }

        if (Assembly is not null)
        {
            info.ArgumentList.Add(Assembly);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    public override string ToString() =>
        string.Join(' ', Launcher.Append(FileName).Concat(Assembly is null ? [] : [Assembly]));

    private static bool IsDotnetHost(string path) =>
        Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase);

    private static string FindDotnetHost()
    {
        if (Environment.ProcessPath is { } current && IsDotnetHost(current))
        {
            return current;
        }

        // Set by the SDK for everything it launches (dotnet test, MSBuild tasks).
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root)
        {
            var candidate = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return "dotnet";
    }
}
