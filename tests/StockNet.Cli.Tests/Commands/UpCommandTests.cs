using System.CommandLine;
using StockNet.Cli.Commands;
using StockNet.Cluster;
using StockNet.Contracts;

namespace StockNet.Cli.Tests.Commands;

/// <summary>What <c>stocknet up</c> adds when a service could not bind its port: the way out, only where it helps.</summary>
public sealed class UpCommandTests
{
    [Fact]
    public void PortTakenHint_DefaultPortInUse_NamesThePortsAndFreePorts()
    {
        var hint = UpCommand.PortTakenHint(portInUse: true, freePorts: false);

        Assert.Equal(
            "A port of 8997-9001 is taken (another Stock Net, or another program: 'ss -ltnp' names it). "
            + "Stop it, or start with --free-ports to listen on free ports (printed at start).",
            hint);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public void PortTakenHint_OtherFailureOrAlreadyOnFreePorts_None(bool portInUse, bool freePorts)
    {
        Assert.Null(UpCommand.PortTakenHint(portInUse, freePorts));
    }

    [Fact]
    public async Task Up_DataRootHeldByAnotherUp_RefusesAndLeavesItsFilesAlone()
    {
        var root = Directory.CreateTempSubdirectory("stocknet-up-lock-").FullName;
        try
        {
            var running = Path.Combine(root, "catalog", "catalog.db");
            Directory.CreateDirectory(Path.GetDirectoryName(running)!);
            await File.WriteAllTextAsync(running, "the running cluster's", Cancel);
            using var held = DataLock.TryAcquire(Path.Combine(root, DataLock.DataRootFileName));
            Assert.NotNull(held);

            var (exitCode, error) = await UpAsync("--data-dir", root, "--fresh");

            Assert.Equal(UpCommand.StartFailed, exitCode);
            Assert.Equal(DataRoot.InUse(root) + Environment.NewLine, error);
            Assert.Equal("the running cluster's", await File.ReadAllTextAsync(running, Cancel));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Up_FreshOnTheWorkingDirectory_RefusedBeforeCreatingAnything()
    {
        var lockFile = Path.Combine(Environment.CurrentDirectory, DataLock.DataRootFileName);
        Assert.False(File.Exists(lockFile), "a lock file left in the working directory by an earlier run");

        var (exitCode, error) = await UpAsync("--data-dir", Environment.CurrentDirectory, "--fresh");

        Assert.Equal(UpCommand.StartFailed, exitCode);
        Assert.Equal($"Refusing to wipe {Environment.CurrentDirectory}: give --data-dir a directory of its own.{Environment.NewLine}", error);
        Assert.False(File.Exists(lockFile));
    }

    [Fact]
    public async Task Up_FreshOnAnAncestorOfTheWorkingDirectory_RefusedBeforeCreatingAnything()
    {
        var parent = Path.GetDirectoryName(Environment.CurrentDirectory)!;
        var lockFile = Path.Combine(parent, DataLock.DataRootFileName);
        Assert.False(File.Exists(lockFile), "a lock file left beside the working directory by an earlier run");

        var (exitCode, error) = await UpAsync("--data-dir", "..", "--fresh");

        Assert.Equal(UpCommand.StartFailed, exitCode);
        Assert.Equal($"Refusing to wipe {parent}: give --data-dir a directory of its own.{Environment.NewLine}", error);
        Assert.False(File.Exists(lockFile));
    }

    [Fact]
    public async Task Up_DataDirUnderAFile_SaysItCannotWriteThereInOneLine()
    {
        var file = Path.GetTempFileName();
        try
        {
            var root = Path.Combine(file, "data");

            var (exitCode, error) = await UpAsync("--data-dir", root);

            Assert.Equal(UpCommand.StartFailed, exitCode);
            Assert.StartsWith($"Cannot write the data directory {root} (", error, StringComparison.Ordinal);
            Assert.EndsWith($"): give --data-dir a directory this user can write.{Environment.NewLine}", error, StringComparison.Ordinal);
            Assert.Single(error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void DataLock_Released_CanBeTakenAgain()
    {
        var root = Directory.CreateTempSubdirectory("stocknet-up-lock-").FullName;
        var lockFile = Path.Combine(root, DataLock.DataRootFileName);
        try
        {
            using (var first = DataLock.TryAcquire(lockFile))
            {
                Assert.NotNull(first);
                Assert.Null(DataLock.TryAcquire(lockFile));
            }

            using var again = DataLock.TryAcquire(lockFile);
            Assert.NotNull(again);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // Refused before any service starts: every case here ends before the first child process.
    private static async Task<(int ExitCode, string Error)> UpAsync(params string[] arguments)
    {
        var error = new StringWriter();
        var exitCode = await UpCommand.Create().Parse([.. arguments, "--free-ports"])
            .InvokeAsync(new InvocationConfiguration { Error = error }, Cancel);
        return (exitCode, error.ToString());
    }
}
