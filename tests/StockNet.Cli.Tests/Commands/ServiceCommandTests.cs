using System.CommandLine;
using StockNet.Cli.Commands;

namespace StockNet.Cli.Tests.Commands;

/// <summary>What the service commands accept and how their help reads; parsed in-process, no service starts.</summary>
public sealed class ServiceCommandTests
{
    public static TheoryData<string> Services => ["catalog", "order", "frontend"];

    [Theory]
    [MemberData(nameof(Services))]
    public void Help_AnyServiceCommand_UsageLineHasBalancedBrackets(string name)
    {
        var usage = UsageLine(name);

        Assert.Equal($"{name} [<settings>...] [options]", usage);
    }

    [Fact]
    public void Parse_ExtraSectionSettings_NoErrorsAndPassedThrough()
    {
        var result = Parse("catalog", "--port", "19997", "--Catalog:LookupDelay=00:00:01", "--Catalog:Foo", "bar");

        Assert.Empty(result.Errors);
        Assert.Equal(["--Catalog:LookupDelay=00:00:01", "--Catalog:Foo", "bar"], result.GetValue<string[]>("settings") ?? []);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("0.5")]
    public void Parse_FrontEndCacheTtlInSeconds_Accepted(string ttl)
    {
        var result = Parse("frontend", "--cache-ttl", ttl);

        Assert.Empty(result.Errors);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("00:00:05")]
    public void Parse_FrontEndCacheTtlNotPositiveSeconds_Refused(string ttl)
    {
        var result = Parse("frontend", "--cache-ttl", ttl);

        Assert.Equal([$"--cache-ttl takes a number of seconds more than 0, such as 5 or 0.5, not '{ttl}'."], result.Errors.Select(e => e.Message));
    }

    private static ParseResult Parse(string name, params string[] arguments) => Command(name).Parse(arguments);

    private static Command Command(string name) => name switch
    {
        "catalog" => CatalogCommand.Create(),
        "order" => OrderCommand.Create(),
        "frontend" => FrontEndCommand.Create(),
        "up" => UpCommand.Create(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static string UsageLine(string name)
    {
        var root = new RootCommand("test") { Command(name) };
        using var output = new StringWriter();
        root.Parse([name, "--help"]).Invoke(new InvocationConfiguration { Output = output });
        var lines = output.ToString().Split('\n', StringSplitOptions.TrimEntries);
        var usage = lines[Array.IndexOf(lines, "Usage:") + 1];
        return usage[(usage.IndexOf(' ', StringComparison.Ordinal) + 1)..];
    }
}
