namespace StockNet.LoadClient.Targets;

/// <summary>The front-end given with --url gave no HTTP answer at all: nothing to measure.</summary>
public sealed class TargetUnreachableException(Uri url)
    : Exception($"No front-end answers at {url}: is it running, and is the URL right?")
{
    public Uri Url { get; } = url;
}
