using StockNet.Contracts;

namespace StockNet.Orders;

/// <summary>The outcome of placing an order: a transaction number (status 200) or an error status with its message and type.</summary>
public sealed record PlaceResult(int Status, long TransactionNumber, string Message, string? Type)
{
    public bool IsPlaced => Status == 200;

    public static PlaceResult Placed(long number) => new(200, number, string.Empty, null);

    public static PlaceResult Failed(int status, string message, string? type) => new(status, -1, message, type);

    public static PlaceResult NotLeader { get; } = Failed(403, "This replica is not the order leader.", ErrorTypes.NotLeader);

    public static PlaceResult Recovering { get; } =
        Failed(503, "This replica is becoming the leader and is still recovering; retry shortly.", ErrorTypes.Recovering);

    public static PlaceResult Replaced { get; } =
        Failed(503, "This replica is no longer the order leader; retry on the new leader.", ErrorTypes.NotLeader);
}
