using System.CommandLine;
using StockNet.Cli.Commands;
using StockNet.Cluster;
using StockNet.Contracts.Security;

namespace StockNet.Cli.Tests.Commands;

/// <summary>
/// What <c>stocknet call</c> accepts and where it finds the key; parsed and run in-process. Nothing here reaches a
/// service: a call that gets that far goes to a port that refuses connections. The signed exchange itself is
/// tested against a real catalog in the integration tests (CallCommandTests there).
/// </summary>
public sealed class CallCommandTests : IDisposable
{
    private const string KeyText = "call-command-tests-key-0123";
    private const string Url = "http://127.0.0.1:1/trades";

    private readonly string _directory = Directory.CreateTempSubdirectory("stocknet-call-").FullName;
    private readonly Dictionary<string, string?> _environment = [];

    [Fact]
    public void Parse_MethodUrlAndBody_NoErrors()
    {
        var result = Parse("post", "http://127.0.0.1:8997/stocks/GOOG", "--data", "{\"type\":\"buy\",\"quantity\":1}", "--key-file", "k");

        Assert.Empty(result.Errors);
    }

    [Theory]
    [InlineData(new[] { "GET", Url, "--data", "{}", "--data-file", "f" }, "Give --data or --data-file, not both.")]
    [InlineData(new[] { "GET", Url, "--key-file", "k", "--data-dir", "d" }, "Give --key-file or --data-dir, not both.")]
    [InlineData(new[] { "GE T", Url }, "'GE T' is not an HTTP method such as GET or POST.")]
    [InlineData(new[] { "GET", "127.0.0.1:8997/trades" }, "'127.0.0.1:8997/trades' is not an http:// or https:// URL.")]
    [InlineData(new[] { "GET", "ftp://127.0.0.1/trades" }, "'ftp://127.0.0.1/trades' is not an http:// or https:// URL.")]
    [InlineData(new[] { "GET", Url, "--timeout", "0" }, "--timeout takes a number of seconds more than 0, up to 3600.")]
    public void Parse_BadInput_RefusedWithOneSentence(string[] arguments, string error)
    {
        var result = Parse(arguments);

        Assert.Equal([error], result.Errors.Select(e => e.Message));
    }

    [Fact]
    public async Task Invoke_NoKeyAnywhere_Exits2AndSaysHowToGiveOne()
    {
        var (exitCode, output, error) = await InvokeAsync("GET", Url);

        Assert.Equal(CallCommand.Unusable, exitCode);
        Assert.Empty(output);
        Assert.Contains("--key-file", error, StringComparison.Ordinal);
        Assert.Contains("--data-dir", error, StringComparison.Ordinal);
        Assert.Contains(ClusterKey.FileVariable, error, StringComparison.Ordinal);
        Assert.Contains(ClusterKey.Variable, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_KeyFileMissing_Exits2NamingTheFile()
    {
        var missing = Path.Combine(_directory, "absent.key");

        var (exitCode, _, error) = await InvokeAsync("GET", Url, "--key-file", missing);

        Assert.Equal(CallCommand.Unusable, exitCode);
        Assert.Contains(missing, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_DataFileMissing_Exits2NamingTheFile()
    {
        var missing = Path.Combine(_directory, "absent.json");

        var (exitCode, _, error) = await InvokeAsync("POST", Url, "--key-file", WriteKey(_directory), "--data-file", missing);

        Assert.Equal(CallCommand.Unusable, exitCode);
        Assert.Contains(missing, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_NothingListening_Exits3AndNeverPrintsTheKey()
    {
        using var refusing = RefusingPort.Hold();
        _environment[ClusterKey.Variable] = KeyText;

        var (exitCode, output, error) = await InvokeAsync("GET", refusing.Url + "/trades");

        Assert.Equal(CallCommand.NoAnswer, exitCode);
        Assert.Contains("no answer", error, StringComparison.Ordinal);
        Assert.DoesNotContain(KeyText, output + error, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_KeyFileGiven_WinsOverTheEnvironment()
    {
        _environment[ClusterKey.Variable] = "another-key-from-the-environment";
        var file = WriteKey(_directory);

        var key = OperatorKey.Find(file, null, Environment, DefaultRoot);

        Assert.True(SameKey(key, ClusterKey.Parse(KeyText)));
    }

    [Fact]
    public void Find_DataDirGiven_ReadsItsClusterKeyFile()
    {
        var dataDir = Directory.CreateDirectory(Path.Combine(_directory, "cluster")).FullName;
        WriteKey(dataDir);

        var key = OperatorKey.Find(null, dataDir, Environment, DefaultRoot);

        Assert.True(SameKey(key, ClusterKey.Parse(KeyText)));
    }

    [Fact]
    public void Find_DataDirWithoutKey_ThrowsNamingTheFile()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => OperatorKey.Find(null, _directory, Environment, DefaultRoot));

        Assert.Contains(Path.Combine(_directory, ClusterKey.FileName), failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_EnvironmentFileAndKey_FileFirstAsTheServicesRead()
    {
        _environment[ClusterKey.FileVariable] = WriteKey(_directory);
        _environment[ClusterKey.Variable] = "another-key-from-the-environment";
        WriteKey(Directory.CreateDirectory(DefaultRoot).FullName, "a-third-key-in-the-default-root");

        var key = OperatorKey.Find(null, null, Environment, DefaultRoot);

        Assert.True(SameKey(key, ClusterKey.Parse(KeyText)));
    }

    [Fact]
    public void Find_OnlyTheDefaultDataRootHoldsOne_ReadsIt()
    {
        WriteKey(Directory.CreateDirectory(DefaultRoot).FullName);

        var key = OperatorKey.Find(null, null, Environment, DefaultRoot);

        Assert.True(SameKey(key, ClusterKey.Parse(KeyText)));
    }

    [Fact]
    public void Find_NothingAnywhere_Null()
    {
        Assert.Null(OperatorKey.Find(null, null, Environment, DefaultRoot));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string DefaultRoot => Path.Combine(_directory, "default-data");

    private string? Environment(string name) => _environment.GetValueOrDefault(name);

    private Command Command() => CallCommand.Create(Environment, DefaultRoot);

    private ParseResult Parse(params string[] arguments) => Command().Parse(arguments);

    private async Task<(int ExitCode, string Output, string Error)> InvokeAsync(params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await Parse(arguments).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }

    private static string WriteKey(string directory, string text = KeyText)
    {
        var path = Path.Combine(directory, ClusterKey.FileName);
        File.WriteAllText(path, text + "\n");
        return path;
    }

    // Two keys are the same secret when they sign alike.
    private static bool SameKey(ClusterKey? actual, ClusterKey expected)
    {
        Assert.NotNull(actual);
        var nonce = Guid.NewGuid();
        return RequestSignature.Create(actual, "GET", "/trades", RequestSignature.EmptyBodyHash, 1, nonce)
            == RequestSignature.Create(expected, "GET", "/trades", RequestSignature.EmptyBodyHash, 1, nonce);
    }
}
