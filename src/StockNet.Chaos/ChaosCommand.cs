using System.CommandLine;

namespace StockNet.Chaos;

/// <summary>Placeholder until the chaos command lands.</summary>
public static class ChaosCommand
{
    public static Command Create() => new("chaos", "Injects faults into a running cluster under load and checks every invariant.");
}
