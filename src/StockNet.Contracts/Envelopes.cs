namespace StockNet.Contracts;

/// <summary>Every successful reply of the contract wraps its payload as <c>{"data": ...}</c>.</summary>
public sealed record DataEnvelope<T>(T Data);

/// <summary>Every error of the contract: <c>{"error": {"code": 400, "message": "..."}}</c>.</summary>
public sealed record ApiError(ErrorBody Error);

/// <summary>The body of an error. <see cref="Type"/> is our stable machine-readable extension, such as "insufficient-stock".</summary>
public sealed record ErrorBody(int Code, string Message, string? Type = null);
