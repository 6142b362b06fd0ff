using System.Reflection;
using System.Text.RegularExpressions;
using StockNet.Contracts;

namespace StockNet.Architecture.Tests;

/// <summary>
/// Holds the one-protocol rule over the sources of src/: every HTTP call goes through the typed clients of
/// StockNet.Protocol, every path and header name is spelled once in <see cref="Routes"/> and every media type in <see cref="MediaTypes"/>, no type name is
/// defined in two projects, and fault injection stays in its own folders. Tests are exempt: those that probe
/// malformed input send raw requests on purpose.
/// </summary>
public sealed partial class ArchitectureTests
{
    private const string ProtocolProject = "StockNet.Protocol";
    private const string ContractsProject = "StockNet.Contracts";

    [Fact]
    public void HttpClients_OnlyInTheProtocolProject()
    {
        var offenders = Offenders(file => file.Project != ProtocolProject, line => HttpClientUse().IsMatch(line));

        Assert.True(offenders.Count == 0, "HttpClient use outside StockNet.Protocol (call one of its typed clients instead):\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void RouteLiterals_OnlyInTheRouteTable()
    {
        // Endpoint mapping aside ("/{name}" under a group of the table), and file paths under /proc and /run.
        string[] systemPaths = ["\"/proc/", "\"/run/"];
        var offenders = Offenders(
            file => file.Project != ContractsProject,
            line => PathLiteral().Matches(line).Any(match => !systemPaths.Any(path => match.Value.StartsWith(path, StringComparison.Ordinal))) && !MapsEndpoint().IsMatch(line));

        Assert.True(offenders.Count == 0, "Route literals outside Routes (add the route to the table and use its constant):\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void HeaderNames_OnlyInTheRouteTable()
    {
        var headers = typeof(Routes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.IsLiteral && field.FieldType == typeof(string) && field.Name.EndsWith("Header", StringComparison.Ordinal))
            .Select(field => '"' + (string)field.GetRawConstantValue()! + '"')
            .ToList();
        Assert.Contains("\"Idempotency-Key\"", headers);

        var offenders = Offenders(file => file.Project != ContractsProject, line => headers.Any(header => line.Contains(header, StringComparison.OrdinalIgnoreCase)));

        Assert.True(offenders.Count == 0, "Header names outside Routes (use its constants):\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void MediaTypes_OnlyInTheContracts()
    {
        // The contract's media type; other protocols' (OTLP's protobuf, in the bench's sink) are not ours to spell.
        var offenders = Offenders(file => file.Project != ContractsProject, line => line.Contains("\"application/json", StringComparison.OrdinalIgnoreCase));

        Assert.True(offenders.Count == 0, "Media types outside StockNet.Contracts (use MediaTypes):\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void TypeNames_EachDefinedInOneProject()
    {
        var duplicates = RepositoryFiles.Sources
            .SelectMany(file => file.CodeLines.Select(line => TopLevelType().Match(line.Text)).Where(match => match.Success)
                .Select(match => (Name: match.Groups["name"].Value, file.Project)))
            .Distinct()
            .GroupBy(type => type.Name)
            .Where(group => group.Count() > 1)
            .Select(group => $"{group.Key}: {string.Join(", ", group.Select(type => type.Project))}")
            .ToList();

        Assert.True(duplicates.Count == 0, "Type names defined in more than one project of src:\n" + string.Join("\n", duplicates));
    }

    [Fact]
    public void FaultInjection_OnlyInItsFoldersAndRegisteredAtComposition()
    {
        // A hook's options and decorators live in FaultInjection/; the serving code never names them. Only the
        // composition (a service's App or ServiceExtensions) registers them, and Hosting holds the shared gate.
        var offenders = Offenders(
            file => !file.Path.Contains("/FaultInjection/", StringComparison.Ordinal) && !IsComposition(file),
            line => FaultInjectionName().IsMatch(line));

        Assert.True(offenders.Count == 0, "Fault injection named outside a FaultInjection/ folder and the composition:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void InternalsVisibleTo_NamesOnlyTestProjectsThatExist()
    {
        var projects = Directory.EnumerateFiles(System.IO.Path.Combine(RepositoryFiles.Root, "tests"), "*.csproj", SearchOption.AllDirectories)
            .Select(System.IO.Path.GetFileNameWithoutExtension)
            .ToHashSet(StringComparer.Ordinal);

        var unknown = Directory.EnumerateFiles(System.IO.Path.Combine(RepositoryFiles.Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .SelectMany(csproj => InternalsVisibleTo().Matches(File.ReadAllText(csproj))
                .Select(match => match.Groups["name"].Value)
                .Where(name => !projects.Contains(name))
                .Select(name => $"{System.IO.Path.GetFileName(csproj)}: {name}"))
            .ToList();

        Assert.True(unknown.Count == 0, "InternalsVisibleTo names a project that is not in tests/:\n" + string.Join("\n", unknown));
    }

    private static bool IsComposition(SourceFile file) =>
        file.Path.EndsWith("App.cs", StringComparison.Ordinal) || file.Path.EndsWith("ServiceExtensions.cs", StringComparison.Ordinal)
        || file.Path.EndsWith("/Program.cs", StringComparison.Ordinal);

    private static List<string> Offenders(Func<SourceFile, bool> applies, Func<string, bool> offends) =>
        [.. RepositoryFiles.Sources.Where(applies)
            .SelectMany(file => file.CodeLines.Where(line => offends(line.Text)).Select(line => line.Where(file)))];

    // Constructing, holding or registering an HttpClient, or building a request by hand. A DelegatingHandler that
    // decorates the protocol's client (signing, logging) is not a call and may live beside what it serves.
    [GeneratedRegex(@"\b(HttpClient|SocketsHttpHandler|HttpClientHandler|AddHttpClient)\b|\bnew HttpRequestMessage\b")]
    private static partial Regex HttpClientUse();

    // A string literal that starts like a path: "/stocks", "/health/", "/{name}"; the match runs to its end.
    [GeneratedRegex("\"/[A-Za-z_{][^\"]*")]
    private static partial Regex PathLiteral();

    [GeneratedRegex(@"\.Map(Get|Post|Put|Delete|Group|Methods|HealthChecks)?\(")]
    private static partial Regex MapsEndpoint();

    [GeneratedRegex("<InternalsVisibleTo Include=\"(?<name>[^\"]+)\"")]
    private static partial Regex InternalsVisibleTo();

    [GeneratedRegex(@"\b\w*TestingOptions\b|\bFaultInjection\b|\bCrashHook\b")]
    private static partial Regex FaultInjectionName();

    // A type declared at the start of a line: top level, since namespaces are file-scoped.
    [GeneratedRegex(@"^(\[[^\]]*\]\s*)*((public|internal|file|sealed|static|abstract|partial|readonly|ref)\s+)*(class|record|enum|struct|interface)(\s+(struct|class))?\s+(?<name>\w+)")]
    private static partial Regex TopLevelType();
}
