using System.Threading.Channels;
using StockNet.Contracts;
using StockNet.Orders.Clients;

namespace StockNet.Orders.Replication;

/// <summary>
/// Carries the leader's new entries to one follower. Entries that arrive while a batch is in flight are
/// sent together in the next one (group commit on the wire and in the follower's SQLite), so under load
/// one round trip replicates many orders; alone, an entry goes out at once. Each entry's waiter learns
/// the follower's answer for its batch.
/// </summary>
internal sealed class FollowerPump
{
    /// <summary>Bounds one request: a few hundred entries of ~100 bytes stay well inside the batch body limit.</summary>
    public const int MaxBatch = 256;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly OrderReplicaClient _client;
    private readonly TimeSpan _timeout;

    public FollowerPump(ReplicaAddress follower, OrderReplicaClient client, TimeSpan timeout, CancellationToken stopping)
    {
        Follower = follower;
        _client = client;
        _timeout = timeout;
        _ = Task.Run(() => PumpAsync(stopping), CancellationToken.None);
    }

    public ReplicaAddress Follower { get; }

    public Task<ReplicationAck> SendAsync(OrderEntry entry)
    {
        var pending = new Pending(entry, new TaskCompletionSource<ReplicationAck>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            return Task.FromResult(ReplicationAck.Failed);
        }

        return pending.Ack.Task;
    }

    public void Complete() => _queue.Writer.TryComplete();

    private async Task PumpAsync(CancellationToken stopping)
    {
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stopping))
            {
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }

                var entries = new OrderEntry[batch.Count];
                for (var i = 0; i < entries.Length; i++)
                {
                    entries[i] = batch[i].Entry;
                }

                var ack = await _client.ReplicateBatchAsync(Follower.Url, entries, _timeout, stopping);
                foreach (var pending in batch)
                {
                    pending.Ack.TrySetResult(ack);
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: whoever still waits is told the follower did not answer.
        }
        finally
        {
            foreach (var pending in batch)
            {
                pending.Ack.TrySetResult(ReplicationAck.Failed);
            }

            while (_queue.Reader.TryRead(out var left))
            {
                left.Ack.TrySetResult(ReplicationAck.Failed);
            }
        }
    }

    private sealed record Pending(OrderEntry Entry, TaskCompletionSource<ReplicationAck> Ack);
}
