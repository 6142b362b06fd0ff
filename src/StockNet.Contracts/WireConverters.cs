using System.Text.Json;
using System.Text.Json.Serialization;

namespace StockNet.Contracts;

/// <summary>"buy" and "sell" only: the default enum converter would also take 0 and 1.</summary>
public sealed class TradeTypeConverter() : JsonStringEnumConverter<TradeType>(namingPolicy: null, allowIntegerValues: false);

/// <summary>
/// Reads a whole JSON number into an <see cref="int"/>. A whole number too large for one (99999999999999999999, 1e12)
/// reads as <see cref="int.MaxValue"/> (or <see cref="int.MinValue"/>), so that the property's range check reports it
/// as out of range instead of as "not a whole number"; fractions, strings and null are refused.
/// </summary>
public sealed class WholeNumberConverter : JsonConverter<int>
{
    public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetInt32(out var value))
            {
                return value;
            }

            if (reader.TryGetDouble(out var number) && double.IsInteger(number))
            {
                return number > 0 ? int.MaxValue : int.MinValue;
            }
        }

        // No message: the serializer adds the path, which the services turn into the contract's sentence.
        throw new JsonException();
    }

    public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value);
    }
}
