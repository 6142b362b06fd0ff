namespace StockNet.Orders;

/// <summary>
/// What a store of replicated entries did, decided under the log's write lock, so that an epoch raised right after it
/// cannot change the answer: an entry written stays written.
/// </summary>
/// <param name="Written">Entries written. One already held as it is, at its position, is not written again and is no refusal.</param>
/// <param name="Stale">Entries refused because the log had seen a newer epoch than theirs (nothing of them was written).</param>
/// <param name="Epoch">The log's epoch when the store was decided.</param>
public readonly record struct StoreResult(int Written, int Stale, long Epoch);
