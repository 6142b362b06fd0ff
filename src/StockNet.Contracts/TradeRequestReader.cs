using System.Text.Json;

namespace StockNet.Contracts;

/// <summary>
/// Reads a trade body strictly, so that every malformed request gets one clear sentence and nothing
/// reaches the catalog or the log: the seed's <c>stock_name</c> is accepted as an alias of <c>name</c>,
/// unknown fields are refused, and the quantity must be a whole number from 1 to <see cref="MaxQuantity"/>.
/// </summary>
public static class TradeRequestReader
{
    public const int MaxQuantity = 1_000_000;

    /// <summary>Parses an order body: <c>{"name"|"stock_name", "type", "quantity"}</c>.</summary>
    public static bool TryReadOrder(ReadOnlySpan<byte> json, out TradeRequest? trade, out string error)
    {
        trade = null;
        if (!TryReadFields(json, requireName: true, out var name, out var type, out var quantity, out error))
        {
            return false;
        }

        trade = new TradeRequest(name!, type, quantity);
        return true;
    }

    /// <summary>Parses the catalog's trade body: <c>{"type", "quantity"}</c>.</summary>
    public static bool TryReadCatalogTrade(ReadOnlySpan<byte> json, out CatalogTrade? trade, out string error)
    {
        trade = null;
        if (!TryReadFields(json, requireName: false, out _, out var type, out var quantity, out error))
        {
            return false;
        }

        trade = new CatalogTrade(type, quantity);
        return true;
    }

    private static bool TryReadFields(
        ReadOnlySpan<byte> json, bool requireName, out string? name, out TradeType type, out int quantity, out string error)
    {
        name = null;
        type = default;
        quantity = 0;
        string? typeText = null;
        JsonElement? quantityElement = null;

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException)
        {
            error = "The request body is not valid JSON.";
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "The request body must be a JSON object.";
                return false;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "name" or "stock_name" when requireName:
                        if (property.Value.ValueKind != JsonValueKind.String)
                        {
                            error = "The field 'name' must be a string.";
                            return false;
                        }

                        name = property.Value.GetString();
                        break;
                    case "type":
                        typeText = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                        if (typeText is null)
                        {
                            error = "The field 'type' must be the string \"buy\" or \"sell\".";
                            return false;
                        }

                        break;
                    case "quantity":
                        quantityElement = property.Value.Clone();
                        break;
                    default:
                        error = $"Unknown field '{Truncate(property.Name)}'.";
                        return false;
                }
            }
        }

        return CheckName(requireName, name, out error)
            && CheckType(typeText, out type, out error)
            && CheckQuantity(quantityElement, out quantity, out error);
    }

    private static bool CheckName(bool requireName, string? name, out string error)
    {
        error = string.Empty;
        if (!requireName)
        {
            return true;
        }

        if (name is null)
        {
            error = "The field 'name' (or 'stock_name') is required.";
            return false;
        }

        if (!StockNames.IsValid(name))
        {
            error = $"'{Truncate(name)}' is not a valid stock name: use 1 to {StockNames.MaxLength} letters, digits, '-' or '_'.";
            return false;
        }

        return true;
    }

    private static bool CheckType(string? typeText, out TradeType type, out string error)
    {
        error = string.Empty;
        type = default;
        switch (typeText)
        {
            case "buy":
                type = TradeType.Buy;
                return true;
            case "sell":
                type = TradeType.Sell;
                return true;
            case null:
                error = "The field 'type' is required.";
                return false;
            default:
                error = $"The field 'type' must be \"buy\" or \"sell\", not \"{Truncate(typeText)}\".";
                return false;
        }
    }

    private static bool CheckQuantity(JsonElement? element, out int quantity, out string error)
    {
        quantity = 0;
        error = string.Empty;
        if (element is not { } value)
        {
            error = "The field 'quantity' is required.";
            return false;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var whole))
        {
            error = "The field 'quantity' must be a whole number.";
            return false;
        }

        if (whole < 1 || whole > MaxQuantity)
        {
            error = $"The field 'quantity' must be from 1 to {MaxQuantity}.";
            return false;
        }

        quantity = (int)whole;
        return true;
    }

    private static string Truncate(string text) => text.Length <= 32 ? text : text[..32] + "...";
}
