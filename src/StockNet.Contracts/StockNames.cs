namespace StockNet.Contracts;

/// <summary>What a stock name may be: 1 to 16 ASCII letters, digits, '-' or '_'.</summary>
public static class StockNames
{
    public const int MaxLength = 16;

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
}
