using StockNet.Cli.Commands;

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
}
