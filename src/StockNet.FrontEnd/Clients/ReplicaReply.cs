using System.Text.Json;
using StockNet.Contracts;

namespace StockNet.FrontEnd.Clients;

/// <summary>
/// A replica's answer to a forwarded request, body kept as bytes so it passes through unchanged.
/// <see cref="Status"/> 0 means no answer: a transport error, a timeout or a cancellation.
/// </summary>
public sealed record ReplicaReply(int Status, byte[] Body, TimeSpan? RetryAfter = null)
{
    public static ReplicaReply NoAnswer { get; } = new(0, []);

    public bool Answered => Status != 0;

    /// <summary>The error's stable type, such as "recovering" or "not-leader", when the body is a contract error.</summary>
    public string? ErrorType()
    {
        try
        {
            return JsonSerializer.Deserialize(Body, StockNetJsonContext.Default.ApiError)?.Error?.Type;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
