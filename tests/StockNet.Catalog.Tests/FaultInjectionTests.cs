using StockNet.Hosting;

namespace StockNet.Catalog.Tests;

public sealed class FaultInjectionTests
{
    [Theory]
    [InlineData(null, false)]
    [InlineData("0", false)]
    [InlineData("true", false)]
    [InlineData("1", true)]
    public void IsAllowed_OnlyWhenTheVariableIsOne(string? value, bool allowed) =>
        Assert.Equal(allowed, FaultInjectionGate.IsAllowed(name => name == FaultInjectionGate.AllowVariable ? value : null));
}
