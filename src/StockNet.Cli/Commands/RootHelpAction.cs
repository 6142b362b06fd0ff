using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Text;

namespace StockNet.Cli.Commands;

/// <summary>
/// <c>stocknet --help</c>: the command list shows each command's arguments as its own help's usage line does, an optional
/// one in brackets (<c>health [&lt;url&gt;]</c>). System.CommandLine 2.0 lists every argument as <c>&lt;name&gt;</c>,
/// required or not, and its help builder is internal, so the root's page is written here; every other command's help
/// is the library's (<see cref="HelpAction"/>).
/// </summary>
internal sealed class RootHelpAction(HelpAction commandHelp) : SynchronousCommandLineAction
{
    private const string Indent = "  ";

    /// <summary>Gives <paramref name="root"/>'s help option this action.</summary>
    public static void Install(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new RootHelpAction((HelpAction)help.Action!);
    }

    /// <summary>A command's arguments as its usage line spells them: <c>&lt;a&gt;</c>, <c>[&lt;a&gt;]</c> when optional, <c>...</c> for several.</summary>
    public static string ArgumentsLabel(Command command) => string.Join(' ', command.Arguments.Where(a => !a.Hidden).Select(argument =>
    {
        var label = $"<{argument.Name}>" + (argument.Arity.MaximumNumberOfValues > 1 ? "..." : "");
        return argument.Arity.MinimumNumberOfValues == 0 ? $"[{label}]" : label;
    }));

    public override int Invoke(ParseResult parseResult)
    {
        if (parseResult.CommandResult.Command is not RootCommand root)
        {
            return commandHelp.Invoke(parseResult);
        }

        var output = parseResult.InvocationConfiguration.Output;
        output.Write(Render(root, commandHelp.MaxWidth));
        return 0;
    }

    /// <summary>The root's page: description, usage, options and the command list, in the library's layout.</summary>
    public static string Render(RootCommand root, int maxWidth)
    {
        var page = new StringBuilder();
        Heading(page, "Description:", root.Description, maxWidth);
        Heading(page, "Usage:", $"{root.Name} [command] [options]", maxWidth);
        Columns(page, "Options:", root.Options.Where(o => !o.Hidden).Select(o => (OptionLabel(o), o.Description ?? "")), maxWidth);
        Columns(page, "Commands:", root.Subcommands.Where(c => !c.Hidden).Select(c => (CommandLabel(c), c.Description ?? "")), maxWidth);
        return page.ToString();
    }

    private static string CommandLabel(Command command) => ArgumentsLabel(command) is { Length: > 0 } arguments ? $"{command.Name} {arguments}" : command.Name;

    // "-?, -h, --help", as the library prints it: the Windows spellings (/?, /h) left out, short forms first.
    private static string OptionLabel(Option option) =>
        string.Join(", ", option.Aliases.Append(option.Name).Where(name => !name.StartsWith('/')).Distinct()
            .OrderBy(name => name.StartsWith("--", StringComparison.Ordinal)).ThenBy(name => name, StringComparer.Ordinal));

    private static void Heading(StringBuilder page, string title, string? text, int maxWidth)
    {
        page.AppendLine(title);
        foreach (var line in Wrap(text ?? "", maxWidth - Indent.Length))
        {
            page.Append(Indent).AppendLine(line);
        }

        page.AppendLine();
    }

    private static void Columns(StringBuilder page, string title, IEnumerable<(string Label, string Text)> rows, int maxWidth)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            return;
        }

        var width = list.Max(row => row.Label.Length) + Indent.Length;
        page.AppendLine(title);
        foreach (var (label, text) in list)
        {
            var lines = Wrap(text, maxWidth - Indent.Length - width);
            page.Append(Indent).Append(label.PadRight(width)).AppendLine(lines[0]);
            foreach (var line in lines.Skip(1))
            {
                page.Append(' ', Indent.Length + width).AppendLine(line);
            }
        }

        page.AppendLine();
    }

    // Word wrap at the width; a terminal narrower than a column gets one word a line rather than nothing.
    private static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > Math.Max(width, 1))
            {
                lines.Add(line.ToString());
                line.Clear();
            }

            line.Append(line.Length > 0 ? " " : "").Append(word);
        }

        lines.Add(line.ToString());
        return lines;
    }
}
