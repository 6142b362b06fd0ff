namespace StockNet.Architecture.Tests;

/// <summary>The repository, found from the test's own directory, and the C# sources of src/ read once.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static IReadOnlyList<SourceFile> Sources => LazySources.Value;

    private static readonly Lazy<IReadOnlyList<SourceFile>> LazySources = new(ReadSources);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "StockNet.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("StockNet.slnx not found above " + AppContext.BaseDirectory);
    }

    private static List<SourceFile> ReadSources()
    {
        var src = Path.Combine(Root, "src");
        return [.. Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(path => !IsBuildOutput(Path.GetRelativePath(src, path)))
            .Order(StringComparer.Ordinal)
            .Select(path => new SourceFile(
                Path.GetRelativePath(src, path).Split(Path.DirectorySeparatorChar)[0],
                Path.GetRelativePath(Root, path).Replace(Path.DirectorySeparatorChar, '/'),
                [.. File.ReadLines(path).Select((text, index) => new SourceLine(index + 1, text)).Where(line => !line.IsComment)]))];
    }

    private static bool IsBuildOutput(string relativePath) =>
        relativePath.Split(Path.DirectorySeparatorChar) is var parts && (parts.Contains("bin") || parts.Contains("obj"));
}

/// <summary>One C# file of src/: its project (the folder under src/), its path from the root, and its lines that are code.</summary>
internal sealed record SourceFile(string Project, string Path, IReadOnlyList<SourceLine> CodeLines);

internal sealed record SourceLine(int Number, string Text)
{
    // Line and XML-doc comments, and the lines of a block comment (each starts with '*' by this code's style).
    public bool IsComment => Text.TrimStart() is var trimmed && (trimmed.StartsWith("//", StringComparison.Ordinal)
        || trimmed.StartsWith("/*", StringComparison.Ordinal) || trimmed.StartsWith('*'));

    public string Where(SourceFile file) => $"{file.Path}:{Number}: {Text.Trim()}";
}
