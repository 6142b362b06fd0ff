namespace StockNet.Hosting.Telemetry;

/// <summary>
/// The <c>Telemetry</c> section. OTLP export follows the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (and the
/// other <c>OTEL_*</c> variables), read as configuration.
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>The standard variable that turns on OTLP export of traces and metrics.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Metrics (and <c>/metrics</c>) and, when an exporter is configured, traces. False turns all of it off,
    /// which is the benchmark's baseline; trace ids still reach the log lines and W3C context still travels.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Writes every finished span to standard output: a way to read one trade's trace without a collector.</summary>
    public bool ConsoleTraces { get; set; }
}
