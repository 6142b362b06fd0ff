using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace StockNet.Contracts.Security;

/// <summary>
/// A JSON body serialized once, up front, into one array. <see cref="SigningHandler"/> hashes these bytes where they
/// lie, where any other content must first be buffered (serialized through a stream, then copied out) before it can
/// be hashed: on the front-end's path, every forwarded order.
/// </summary>
public sealed class JsonBytesContent : ByteArrayContent
{
    private JsonBytesContent(byte[] bytes)
        : base(bytes)
    {
        Bytes = bytes;
        // The header is added as its text: a parsed MediaTypeHeaderValue per request would be built only to be printed.
        Headers.TryAddWithoutValidation("Content-Type", MediaTypes.JsonUtf8);
    }

    /// <summary>The body as it is sent.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    public static JsonBytesContent Create<T>(T value, JsonTypeInfo<T> typeInfo) => new(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));
}
