using System.Runtime.CompilerServices;
using StockNet.Hosting;

namespace StockNet.Catalog.Tests.Infrastructure;

/// <summary>
/// The catalogs these tests host in-process may use their test-only hooks, as the integration harness's may;
/// the refusal without it is tested on a real process (FaultInjectionGateTests).
/// </summary>
internal static class AllowFaultInjection
{
    [ModuleInitializer]
    internal static void Allow() => Environment.SetEnvironmentVariable(FaultInjectionGate.AllowVariable, "1");
}
