namespace StockNet.Hosting;

/// <summary>
/// The gate of fault injection: the test-only hooks (a late lookup, a crash at a chosen instant) with which the
/// integration tests force races and crashes. The convention, for every service:
/// <list type="bullet">
/// <item>the hooks live in the service's <c>FaultInjection/</c> folder (namespace <c>StockNet.{Service}.FaultInjection</c>),
/// bound from <c>{Section}:Testing</c>, and the serving classes carry no test code;</item>
/// <item>a hook is a decorator (an endpoint filter, a wrapping service) registered only when its setting is on;</item>
/// <item>a setting that is on makes start-up fail, through options validation, unless the environment variable
/// <see cref="AllowVariable"/> is <c>1</c>: a stray line in a configuration file never reaches a real deployment.
/// The integration harness sets it.</item>
/// </list>
/// </summary>
public static class FaultInjectionGate
{
    public const string AllowVariable = "STOCKNET_ALLOW_FAULT_INJECTION";

    /// <summary>Whether this process may inject faults; <paramref name="environment"/> replaces the process's variables in tests.</summary>
    public static bool IsAllowed(Func<string, string?>? environment = null) =>
        (environment ?? Environment.GetEnvironmentVariable)(AllowVariable) == "1";

    /// <summary>The start-up failure for a testing section that is set while fault injection is not allowed.</summary>
    public static string Refusal(string section) =>
        $"{section} turns on fault injection, which is for tests only; set {AllowVariable}=1 to allow it.";
}
