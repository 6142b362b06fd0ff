using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using StockNet.Contracts;
using StockNet.Hosting;
using StockNet.Orders.Leadership;
using StockNet.Orders.Recovery;
using StockNet.Orders.Replication;
using StockNet.Protocol;

namespace StockNet.Orders;

/// <summary>The replica-to-replica and front-end-to-replica endpoints: ping, leader announcements, replication and catch-up.</summary>
public static class ReplicationApi
{
    public static RouteGroupBuilder MapReplicationApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(string.Empty).WithTags("Replication");
        group.MapGet(Routes.Ping, Ping).WithName("Ping").AllowAnonymous();
        group.MapPost(Routes.SetLeader, SetLeaderAsync).WithName("SetLeader");
        group.MapPost(Routes.ReplicateOrder, ReplicateOrderAsync).WithName("ReplicateOrder");
        group.MapPost(Routes.ReplicateOrders, ReplicateOrdersAsync).WithName("ReplicateOrders")
            .WithMetadata(new RequestSizeLimit(Limits.MaxReplicationBatchBodyBytes));
        group.MapGet(Routes.GetMissingOrders + "/{number}", GetMissingOrders).WithName("GetMissingOrders");
        group.MapGet(Routes.MaxTransaction, GetMaxTransaction).WithName("GetMaxTransaction");
        return group;
    }

    private static Ok<PingReply> Ping(ReplicaState state, ClusterTopology topology, OrderLog log)
    {
        var role = state.Current;
        return TypedResults.Ok(new PingReply(
            "ok", topology.Self.Id, role.LeaderUrl, state.Epoch, state.Ready, role.Role == ReplicaRole.Leader, log.MaxTransaction));
    }

    private static async Task<Results<Ok, JsonHttpResult<ApiError>>> SetLeaderAsync(
        HttpRequest request, ReplicaState state, ClusterTopology topology, LeaderRecovery recovery, FollowerResync resync, CancellationToken cancellationToken)
    {
        var announcement = Read(await RequestBody.ReadAsync(request, cancellationToken), StockNetJsonContext.Default.LeaderAnnouncement);
        if (announcement is null || !ReplicaList.IsHttpUrl(announcement.LeaderId) || announcement.Epoch < 0)
        {
            return ApiResults.BadRequest(
                "The body must be {\"leader_id\": \"<leader's base URL>\", \"epoch\": <optional non-negative integer>}.", ErrorTypes.BadRequest);
        }

        // Following a URL that is none of ours would leave this replica without a reachable leader.
        if (!topology.Knows(announcement.LeaderId))
        {
            return ApiResults.BadRequest(
                $"'{announcement.LeaderId}' is not in this replica's Orders:Replicas ({string.Join(", ", topology.All.Select(r => r.Url))}): every list must spell each replica's URL the same way.",
                ErrorTypes.UnknownReplica);
        }

        var decided = state.Announce(announcement.LeaderId, announcement.Epoch);
        switch (decided.Outcome)
        {
            case AnnouncementOutcome.Stale:
                return StaleEpoch(announcement.Epoch ?? 0, state.Epoch);
            case AnnouncementOutcome.StartRecovery:
                // At the epoch this replica was named leader in, decided with the announcement. An epoch read now may be a
                // newer one another leader was named in meanwhile: fencing the peers at it as their leader would make
                // those that have not heard of that leader refuse its own fence, and depose it. A recovery whose epoch
                // was replaced meets the newer one at its fence (or at its commit) and gives up.
                recovery.Start(decided.Role.Epoch);
                break;
            case AnnouncementOutcome.StartResync:
                // The role held now, deliberately not the decided one: a resync writes only while the role it was asked
                // for is the one held (each write re-checks it under the log's lock) and drops a pending request whose
                // role was replaced, so a request for the decided role, once another announcement replaced it, could
                // do nothing but displace that announcement's own request.
                resync.Request(state.Current);
                break;
        }

        return TypedResults.Ok();
    }

    private static async Task<Results<Ok, JsonHttpResult<ApiError>>> ReplicateOrderAsync(
        HttpRequest request, ReplicaState state, OrderLog log, CancellationToken cancellationToken)
    {
        var entry = Read(await RequestBody.ReadAsync(request, cancellationToken), StockNetJsonContext.Default.OrderEntry);
        if (ReplicatedEntry.Validate(entry) is { } problem)
        {
            return ApiResults.BadRequest(problem, ErrorTypes.BadRequest);
        }

        var fence = state.CheckReplication(entry!.Epoch);
        switch (fence.Check)
        {
            case ReplicationCheck.Stale:
                return StaleEpoch(fence.Epoch, state.Epoch);
            case ReplicationCheck.NotFollower:
                return NotFollower();
        }

        // An entry without an epoch (a seed leader's) is stored at the epoch it passed the fence at. Stamped with an epoch
        // read now, a newer leader's that arrived meanwhile, it would be written as that leader's entry after that leader's
        // recovery read this log, over the leader's own entry at its number; at the epoch checked, the store refuses it.
        var resolvedEntry = entry with { Epoch = fence.Epoch };
        var stored = ReplicatedEntry.Store(log, resolvedEntry);

        // A newer epoch arrived while this was checked: the store refused it, and the sender must not count it. The answer
        // is the store's own, decided under the log's lock: an epoch raised after it does not unsay an entry written.
        return stored.Stale > 0 ? StaleEpoch(resolvedEntry.Epoch ?? 0, stored.Epoch) : TypedResults.Ok();
    }

    private static async Task<Results<Ok, JsonHttpResult<ApiError>>> ReplicateOrdersAsync(
        HttpContext context, ReplicaState state, OrderLog log, FollowerResync resync, CancellationToken cancellationToken)
    {
        var batch = Read(await RequestBody.ReadAsync(context.Request, cancellationToken), StockNetJsonContext.Default.ReplicationBatch);
        if (batch?.Data is not { } entries || (batch.Positions is { } given && given.Length != entries.Length))
        {
            return ApiResults.BadRequest("The body must be {\"data\": [order entries], \"positions\": [one {\"index\", \"epoch\"} per entry, optional]}.", ErrorTypes.BadRequest);
        }

        foreach (var problem in entries.Select(entry => ReplicatedEntry.Validate(entry)).Concat((batch.Positions ?? []).Select(position => ReplicatedEntry.Validate(position))))
        {
            if (problem is not null)
            {
                return ApiResults.BadRequest(problem, ErrorTypes.BadRequest);
            }
        }

        // One leader sends one epoch; checking each distinct one keeps a mixed batch from slipping past the fence. The
        // newest goes first: the check adopts a newer epoch, so an older one in the same batch is then refused before
        // anything is stored (checked oldest first, the batch stored its newer entries and was still answered 409).
        // Entries without an epoch are checked last (null sorts lowest) and stored at the epoch they were checked at, as
        // on the single route.
        long? unstamped = null;
        foreach (var epoch in entries.Select(entry => entry.Epoch).Distinct().OrderDescending())
        {
            var fence = state.CheckReplication(epoch);
            switch (fence.Check)
            {
                case ReplicationCheck.Stale:
                    return StaleEpoch(fence.Epoch, state.Epoch);
                case ReplicationCheck.NotFollower:
                    return NotFollower();
            }

            unstamped = epoch is null ? fence.Epoch : unstamped;
        }

        var resolved = Array.ConvertAll(entries, entry => entry with { Epoch = entry.Epoch ?? unstamped });

        var stored = log.StoreMany(resolved, batch.Positions);
        RequestResyncOnGap(batch.Positions, state, log, resync);

        // A newer epoch arrived while this was checked: the store refused what was older, and the sender must not count
        // the batch. The answer is the store's own, decided under the log's lock: an epoch raised after it does not
        // unsay entries written.
        return stored.Stale > 0 ? StaleEpoch(resolved.Min(entry => entry.Epoch ?? 0), stored.Epoch) : TypedResults.Ok();
    }

    // Writes the log holds but does not follow from its claim (a batch lost, or no resync yet at this epoch): the
    // leader's suffix fills the gap.
    private static void RequestResyncOnGap(LogPosition[]? positions, ReplicaState state, OrderLog log, FollowerResync resync)
    {
        if (positions is { Length: > 0 } && log.History.LastIndex < positions.Max(position => position.Index)
            && state.Current is { Role: ReplicaRole.Follower, LeaderUrl: not null } role && !resync.IsPending)
        {
            resync.Request(role);
        }
    }

    /// <summary>The seed's catch-up query: every order after a number, streamed. Only executed entries are orders.</summary>
    private static Results<EntryStream, JsonHttpResult<ApiError>> GetMissingOrders(string number, OrderLog log)
    {
        if (!long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var after) || after < -1)
        {
            return ApiResults.BadRequest("The order number must be an integer of -1 or more.", ErrorTypes.BadRequest);
        }

        return new EntryStream(log.ReadAfter(after).Where(static entry => entry.IsExecuted));
    }

    private static Ok<MaxTransactionReply> GetMaxTransaction(OrderLog log) => TypedResults.Ok(new MaxTransactionReply(log.MaxTransaction));

    private static JsonHttpResult<ApiError> NotFollower() =>
        ApiResults.Error(StatusCodes.Status409Conflict, "This replica leads the epoch; it does not take replicated orders.", ErrorTypes.NotFollower);

    // Equal epochs are refused too: one leader per epoch, and none again in an epoch this replica stepped down in.
    private static JsonHttpResult<ApiError> StaleEpoch(long offered, long current) =>
        ApiResults.Error(
            StatusCodes.Status409Conflict,
            offered < current
                ? $"Epoch {offered} is older than this replica's epoch {current}."
                : $"Epoch {offered} is this replica's already, with another leader or one that stepped down in it: a leader needs a newer epoch.",
            ErrorTypes.StaleEpoch);

    private static T? Read<T>(byte[] body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(body, typeInfo);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
