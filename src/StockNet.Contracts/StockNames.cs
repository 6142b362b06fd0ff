using System.ComponentModel.DataAnnotations;

namespace StockNet.Contracts;

/// <summary>What a stock name may be: 1 to 16 ASCII letters, digits, '-' or '_'.</summary>
public static class StockNames
{
    public const int MaxLength = Limits.MaxStockNameLength;

    /// <summary>The rule in words, for error messages.</summary>
    public static string Rule => $"1 to {MaxLength} ASCII letters, digits, '-' or '_'";

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A client's name cut to a length fit for an error message.</summary>
    public static string Shorten(string? name) => name is null || name.Length <= 32 ? name ?? string.Empty : name[..32] + "...";

    /// <summary>The sentence for a name that breaks the rule.</summary>
    public static string Invalid(string? name) => $"'{Shorten(name)}' is not a valid stock name: use {Rule}.";
}

/// <summary>Validates a property as a stock name (<see cref="StockNames.IsValid"/>); a null is left to <see cref="RequiredAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class StockNameAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is null || StockNames.IsValid(value as string) ? ValidationResult.Success : new ValidationResult(StockNames.Invalid(value as string));
}
