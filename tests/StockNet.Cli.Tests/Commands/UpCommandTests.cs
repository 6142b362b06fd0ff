using System.CommandLine;
using StockNet.Cli.Commands;
using StockNet.Cluster;

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
            await File.WriteAllTextAsync(running, "the running cluster's", TestContext.Current.CancellationToken);
            using var held = DataRootLock.TryAcquire(root);
            Assert.NotNull(held);
            var error = new StringWriter();
            var exitCode = await UpCommand.Create().Parse(["--data-dir", root, "--fresh", "--free-ports"])
                .InvokeAsync(new InvocationConfiguration { Error = error }, TestContext.Current.CancellationToken);

            Assert.Equal(UpCommand.StartFailed, exitCode);
            Assert.Equal(UpCommand.DataRootInUse(root) + Environment.NewLine, error.ToString());
            Assert.Equal("the running cluster's", await File.ReadAllTextAsync(running, TestContext.Current.CancellationToken));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void DataRootLock_Released_CanBeTakenAgain()
    {
        var root = Directory.CreateTempSubdirectory("stocknet-up-lock-").FullName;
        try
        {
            using (var first = DataRootLock.TryAcquire(root))
            {
                Assert.NotNull(first);
                Assert.Null(DataRootLock.TryAcquire(root));
            }

            using var again = DataRootLock.TryAcquire(root);
            Assert.NotNull(again);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
