using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.Memory;

namespace StockNet.Hosting;

/// <summary>
/// Accepts the seed system's environment variables (docs/api.md) as aliases of our configuration keys.
/// They rank above our own environment variables and below the command line; the default address ranks
/// below everything.
/// </summary>
public sealed class SeedAliases
{
    private readonly List<(string Variable, string Key, Func<string, string> Convert)> _aliases = [];
    private string? _hostVariable;
    private string? _portVariable;
    private int _defaultPort;

    /// <summary>The service listens on http://{host}:{port} from these variables, 127.0.0.1 and <paramref name="defaultPort"/> when unset.</summary>
    public SeedAliases Listen(string hostVariable, string portVariable, int defaultPort)
    {
        (_hostVariable, _portVariable, _defaultPort) = (hostVariable, portVariable, defaultPort);
        return this;
    }

    public SeedAliases Map(string variable, string key) => Map(variable, key, value => value);

    public SeedAliases Map(string variable, string key, Func<string, string> convert)
    {
        _aliases.Add((variable, key, convert));
        return this;
    }

    /// <summary>The seed spells booleans as 1/0.</summary>
    public static string Flag(string value) => value.Trim() switch
    {
        "1" => "true",
        "0" => "false",
        var other => other,
    };

    public void AddTo(IConfigurationBuilder configuration) => AddTo(configuration, Environment.GetEnvironmentVariable);

    public void AddTo(IConfigurationBuilder configuration, Func<string, string?> environment)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (variable, key, convert) in _aliases)
        {
            if (environment(variable) is { Length: > 0 } value)
            {
                values[key] = convert(value);
            }
        }

        var host = _hostVariable is null ? null : environment(_hostVariable);
        var port = _portVariable is null ? null : environment(_portVariable);
        if (host is { Length: > 0 } || port is { Length: > 0 })
        {
            values["urls"] = $"http://{(host is { Length: > 0 } ? host : "127.0.0.1")}:{(port is { Length: > 0 } ? port : _defaultPort)}";
        }

        var sources = configuration.Sources;
        var commandLine = sources.ToList().FindIndex(source => source is CommandLineConfigurationSource);
        sources.Insert(commandLine < 0 ? sources.Count : commandLine, new MemoryConfigurationSource { InitialData = values });
        if (_defaultPort > 0)
        {
            sources.Insert(0, new MemoryConfigurationSource
            {
                InitialData = new Dictionary<string, string?> { ["urls"] = $"http://127.0.0.1:{_defaultPort}" },
            });
        }
    }
}
