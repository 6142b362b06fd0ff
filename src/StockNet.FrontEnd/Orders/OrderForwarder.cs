using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using StockNet.Contracts;
using StockNet.Protocol;
using StockNet.FrontEnd.Leadership;

namespace StockNet.FrontEnd.Orders;

/*
 * Forwards order requests to the current leader and fails over across elections within one budget.
 * A retried order always carries the same idempotency key, so the cluster can place it at most once even
 * when the first attempt timed out after the old leader had committed it. An attempt is cancelled the
 * moment its leader is replaced, rather than waiting out its timeout.
 */
public sealed class OrderForwarder
{
    // A recovering leader asks for patience; a short pause keeps the retry loop from spinning.
    private static readonly TimeSpan _recoveringPause = TimeSpan.FromMilliseconds(50);

    // When an election keeps the same replica, pause before asking it again.
    private static readonly TimeSpan _sameLeaderPause = TimeSpan.FromMilliseconds(25);

    private readonly LeaderState _state;
    private readonly LeaderElector _elector;
    private readonly OrderReplicaClient _client;
    private readonly TimeProvider _time;
    private readonly TimeSpan _attemptTimeout;
    private readonly TimeSpan _budget;

    public OrderForwarder(
        LeaderState state, LeaderElector elector, OrderReplicaClient client, IOptions<FrontEndOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(elector);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        (_state, _elector, _client, _time) = (state, elector, client, time);
        _attemptTimeout = options.Value.OrderTimeout;
        _budget = options.Value.FailoverBudget;
    }

    /// <summary>
    /// The leader's final answer (200, 4xx other than 403), or null when no leader answered within the budget: elections
    /// that find none are retried until it is spent, so a client hears 503 only after the whole budget.
    /// </summary>
    public Task<ReplicaReply?> PlaceOrderAsync(TradeRequest trade, string idempotencyKey, CancellationToken cancellationToken) =>
        ForwardAsync((leader, attempt) => _client.PlaceOrderAsync(leader.Url, trade, idempotencyKey, attempt), cancellationToken);

    public Task<ReplicaReply?> GetOrderAsync(long number, CancellationToken cancellationToken) =>
        ForwardAsync((leader, attempt) => _client.GetOrderAsync(leader.Url, number, attempt), cancellationToken);

    private async Task<ReplicaReply?> ForwardAsync(
        Func<LeaderSnapshot, CancellationToken, Task<ReplicaReply>> send, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            var leader = _state.Current ?? await _elector.ElectAsync(cancellationToken);
            var remaining = _budget - _time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                return null;
            }

            if (leader is null)
            {
                // An election that found no leader is answered again for one probe interval: asking after it joins the
                // next one. On a busy machine a ready replica can miss one election's pings, and a request with budget
                // left must not fail for that.
                var pause = _elector.ProbeInterval;
                await Task.Delay(remaining < pause ? remaining : pause, _time, cancellationToken);
                continue;
            }

            // One token per attempt ends it on the client's cancellation, the leader's replacement or the deadline,
            // whichever comes first (one linked source and its timer, not one for the leader and another for the time).
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, leader.Replaced);
            attempt.CancelAfter(remaining < _attemptTimeout ? remaining : _attemptTimeout);
            var reply = await send(leader, attempt.Token);
            cancellationToken.ThrowIfCancellationRequested();
            if (IsFinal(reply))
            {
                return reply;
            }

            await RecoverAsync(leader, reply, cancellationToken);
        }
    }

    private async Task RecoverAsync(LeaderSnapshot leader, ReplicaReply reply, CancellationToken cancellationToken)
    {
        if (reply.Status == StatusCodes.Status503ServiceUnavailable && reply.ErrorType() == ErrorTypes.Recovering)
        {
            await Task.Delay(_recoveringPause, _time, cancellationToken);
            return;
        }

        var next = await _elector.ReportFailureAsync(leader, cancellationToken);
        if (next is not null && next.ReplicaId == leader.ReplicaId)
        {
            await Task.Delay(_sameLeaderPause, _time, cancellationToken);
        }
    }

    // 2xx and the client's own errors are the leader's answer; 403 means "not the leader", and 5xx means "not now".
    // The exception is a leader saying the catalog is down: another leader would say the same, so the client hears
    // it at once instead of after a failover budget of elections.
    private static bool IsFinal(ReplicaReply reply) =>
        reply.Status is >= 200 and < 300
        || (reply.Status is >= 400 and < 500 && reply.Status != StatusCodes.Status403Forbidden)
        || (reply.Status == StatusCodes.Status503ServiceUnavailable && reply.ErrorType() == ErrorTypes.CatalogUnavailable);
}
