using System.CommandLine;
using StockNet.Cli.Commands;

namespace StockNet.Cli.Tests.Commands;

/// <summary><c>stocknet --help</c>: its command list spells each command's arguments as that command's own help accepts them.</summary>
public sealed class RootHelpTests
{
    public static TheoryData<string> Commands => [.. StockNetRoot.Create().Subcommands.Where(c => !c.Hidden).Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Commands))]
    public void Help_Root_ListsEachCommandAsItsOwnUsageLine(string name)
    {
        var root = StockNetRoot.Create();
        var usage = Help(root, name, "--help").Single(line => line.StartsWith(root.Name + " " + name, StringComparison.Ordinal));
        var accepted = usage[(root.Name.Length + 1)..].Replace(" [command]", "", StringComparison.Ordinal).Replace(" [options]", "", StringComparison.Ordinal);

        var row = Help(root, "--help").Single(line => line.StartsWith(name + " ", StringComparison.Ordinal));

        Assert.StartsWith(accepted + "  ", row, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_Root_HealthsUrlIsOptional()
    {
        var rows = Help(StockNetRoot.Create(), "--help");

        Assert.Contains(rows, row => row.StartsWith("health [<url>]  ", StringComparison.Ordinal));
        Assert.Contains(rows, row => row.StartsWith("call <method> <url>  ", StringComparison.Ordinal));
    }

    [Fact]
    public void Help_Root_KeepsTheLibrarysSections()
    {
        var rows = Help(StockNetRoot.Create(), "--help");

        Assert.Equal(["Description:", "Usage:", "Options:", "Commands:"], rows.Where(row => row.EndsWith(':')));
        Assert.Contains(rows, row => row.StartsWith("-?, -h, --help  ", StringComparison.Ordinal));
    }

    // Redirected, the help is not wrapped: one row a line, trimmed.
    private static string[] Help(RootCommand root, params string[] arguments)
    {
        using var output = new StringWriter();
        root.Parse(arguments).Invoke(new InvocationConfiguration { Output = output });
        return output.ToString().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }
}
