namespace StockNet.Cluster;

/// <summary>A service did not become ready. The message carries the service's last log lines, so a failed start explains itself.</summary>
public sealed class ServiceStartException : Exception
{
    public const int LogLinesShown = 30;

    public ServiceStartException()
    {
    }

    public ServiceStartException(string message)
        : base(message)
    {
    }

    public ServiceStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal ServiceStartException(ServiceProcess service, string summary)
        : base(Describe(service, summary))
    {
        ServiceName = service.Name;
        ExitCode = service.ExitCode;
        PortInUse = service.RecentLogs(LogLinesShown).Any(line =>
            line.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
            || line.Contains("Failed to bind", StringComparison.OrdinalIgnoreCase));
    }

    public string? ServiceName { get; }

    /// <summary>The child's exit code when it exited; 2 means it refused its configuration or could not bind its port.</summary>
    public int? ExitCode { get; }

    /// <summary>The service said it could not bind its port: worth retrying on other ports, unlike a configuration error.</summary>
    public bool PortInUse { get; }

    private static string Describe(ServiceProcess service, string summary)
    {
        var lines = service.RecentLogs(LogLinesShown);
        return lines.Count == 0
            ? summary + " It wrote nothing."
            : summary + " Its last lines:" + Environment.NewLine + string.Join(Environment.NewLine, lines);
    }
}
