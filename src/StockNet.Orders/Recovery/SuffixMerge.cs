using StockNet.Contracts;
using StockNet.Protocol;

namespace StockNet.Orders.Recovery;

/// <summary>
/// Merges what peers hold into our log, reading only where the logs may differ. For each peer: its rows written
/// after our agreement, and its rows at the numbers we rewrote after that agreement (our row there is newer than the
/// shared one, but the rule must still compare). Every other number is the same on both sides, so the result equals
/// a merge of the whole logs by <see cref="LogMerge"/>'s rule, at the cost of what differs.
/// </summary>
public sealed class SuffixMerge(OrderLog log, PeerLogs peers)
{
    /// <summary>The writes that bring the peers' entries into our log.</summary>
    public async Task<MergePlan> PlanAsync(IEnumerable<ReplicaAddress> from, long epoch, CancellationToken cancellationToken)
    {
        var history = log.History;
        var pulls = (await Task.WhenAll(from.Select(peer => peers.PullSuffixAsync(peer, history, cancellationToken)))).OfType<PeerSuffix>().ToList();
        var lowest = pulls.Count == 0 ? history.LastIndex : pulls.Min(pull => pull.Agreed);
        var ours = log.ReadWrittenAfter(lowest).ToDictionary(record => record.Entry.TransactionNumber);
        var theirs = new Dictionary<long, List<LogRecord>>();
        var (read, rows) = (0, 0);
        foreach (var pull in pulls)
        {
            var held = pull.Records.Select(record => record.Entry.TransactionNumber).ToHashSet();
            var rewritten = ours.Values.Where(record => record.Index > pull.Agreed && !held.Contains(record.Entry.TransactionNumber))
                .Select(record => record.Entry.TransactionNumber).ToList();
            if (await peers.FetchRecordsAsync(pull.Peer.Url, rewritten, cancellationToken) is not { } fetched)
            {
                // Half a peer's differences would merge wrongly: leave it out, as one that did not answer.
                continue;
            }

            foreach (var record in pull.Records.Concat(fetched))
            {
                if (!theirs.TryGetValue(record.Entry.TransactionNumber, out var list))
                {
                    theirs[record.Entry.TransactionNumber] = list = [];
                }

                list.Add(record);
            }

            read++;
            rows += pull.Records.Count + fetched.Count;
        }

        // Our rows at the numbers a peer rewrote: written at or before our lowest agreement, so not read above.
        foreach (var record in log.ReadRecords(theirs.Keys.Where(number => !ours.ContainsKey(number)).ToList()))
        {
            ours[record.Entry.TransactionNumber] = record;
        }

        var changes = LogMerge.Plan(ours, theirs, key => log.TryGetByKey(key, out var entry) ? entry : null, epoch);
        return new MergePlan(changes, read, rows);
    }
}

/// <summary>A merge's writes, how many peers it read, and how many of their rows it read: the cost of what differed.</summary>
public sealed record MergePlan(List<OrderEntry> Changes, int Peers, int RowsRead);
