using System.Reflection;
using System.Text.RegularExpressions;
using StockNet.Contracts;

namespace StockNet.Architecture.Tests;

/// <summary>The README's diagram names only routes of the route table, and each service at its default port.</summary>
public sealed partial class ReadmeDiagramTests
{
    [Fact]
    public void Diagram_EveryPathIsARoute()
    {
        var routes = typeof(Routes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.IsLiteral && field.FieldType == typeof(string))
            .Select(field => (string)field.GetRawConstantValue()!)
            .Where(value => value.StartsWith('/'))
            .ToHashSet(StringComparer.Ordinal);

        // "/stocks/name" is the route /stocks with a name after it; the diagram writes parameters as plain words.
        var unknown = Path().Matches(Diagram()).Select(match => match.Value)
            .Where(path => !routes.Contains(path) && !routes.Any(route => path.StartsWith(route + "/", StringComparison.Ordinal) && path.Count(c => c == '/') == route.Count(c => c == '/') + 1))
            .Distinct()
            .ToList();

        Assert.True(unknown.Count == 0, "README diagram paths that are not in Routes: " + string.Join(", ", unknown));
    }

    [Fact]
    public void Diagram_EachServiceAtItsDefaultPort()
    {
        var diagram = Diagram();

        Assert.Contains($"front-end :{DefaultPorts.FrontEnd}", diagram, StringComparison.Ordinal);
        Assert.Contains($"catalog :{DefaultPorts.Catalog}", diagram, StringComparison.Ordinal);
        foreach (var id in new[] { 1, 2, 3 })
        {
            Assert.Contains($"order replica {id} :{DefaultPorts.OrderReplica(id)}", diagram, StringComparison.Ordinal);
        }
    }

    private static string Diagram()
    {
        var readme = File.ReadAllText(System.IO.Path.Combine(RepositoryFiles.Root, "README.md"));
        var start = readme.IndexOf("```mermaid", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no mermaid diagram.");
        var end = readme.IndexOf("```", start + 3, StringComparison.Ordinal);
        return readme[start..end];
    }

    [GeneratedRegex(@"(?<![\w.])/[a-z_]+(/[a-z_]+)*")]
    private static partial Regex Path();
}
