using Microsoft.Extensions.Options;

namespace StockNet.Catalog;

/// <summary>Checks <see cref="CatalogOptions"/> at start-up and reports every error at once, not just the first.</summary>
internal sealed class CatalogOptionsValidator : IValidateOptions<CatalogOptions>
{
    private const int MaxAttempts = 10;
    private static readonly TimeSpan _maxTimeout = TimeSpan.FromSeconds(30);

    public ValidateOptionsResult Validate(string? name, CatalogOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDir))
        {
            errors.Add("Catalog:DataDir must name a directory.");
        }

        var listed = options.FrontEndUrl.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (listed.Length == 0 || options.FrontEnds.Count != listed.Length)
        {
            errors.Add($"Catalog:FrontEndUrl must be one or more absolute http(s) URLs, comma-separated, not '{options.FrontEndUrl}'.");
        }

        if (options.CatalogFile is { } file && string.IsNullOrWhiteSpace(file))
        {
            errors.Add("Catalog:CatalogFile must be a file path when it is set.");
        }

        if (options.InvalidationTimeout <= TimeSpan.Zero || options.InvalidationTimeout > _maxTimeout)
        {
            errors.Add($"Catalog:InvalidationTimeout must be more than 0 and at most {_maxTimeout}, not {options.InvalidationTimeout}.");
        }

        if (options.InvalidationAttempts is < 1 or > MaxAttempts)
        {
            errors.Add($"Catalog:InvalidationAttempts must be from 1 to {MaxAttempts}, not {options.InvalidationAttempts}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
