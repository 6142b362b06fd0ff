namespace StockNet.Hosting;

/// <summary>Checks the services' options validators share; each adds to the list, so a validator reports every error at once.</summary>
public static class OptionChecks
{
    /// <summary>Adds an error naming <paramref name="key"/> when <paramref name="value"/> is zero or negative.</summary>
    public static void RequirePositive(List<string> errors, string key, TimeSpan value)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{key} must be a positive duration, not {value}.");
        }
    }
}
