using System.Net;
using System.Text;
using System.Text.Json;
using StockNet.Contracts;
using StockNet.FrontEnd.Leadership;
using StockNet.Protocol;

namespace StockNet.FrontEnd.Tests.Leadership;

/// <summary>One simulated order replica, answering as the order-replica contract describes.</summary>
public sealed class FakeReplica(int id)
{
    public int Id { get; } = id;

    public string Url => $"http://127.0.0.1:{9100 + Id}";

    public bool Up { get; set; } = true;

    public bool Ready { get; set; } = true;

    public long Epoch { get; set; }

    public string? LeaderId { get; set; }

    /// <summary>Answers set_leader with 409 "stale-epoch", as a replica that moved on since its ping.</summary>
    public bool RefuseAnnouncements { get; set; }

    /// <summary>Pings report epoch 0 and no leader until the first announcement: a crown that happened after our pings.</summary>
    public bool HideUntilAnnounced { get; set; }

    /// <summary>Named leader but still merging logs: pings name itself with is_leader false.</summary>
    public bool Recovering { get; set; }

    public bool IsLeader => LeaderId == Url && !Recovering;

    /// <summary>Answers to POST /orders before the default behaviour, one per call, for scripted failures.</summary>
    public Queue<HttpStatusCode> ScriptedOrderReplies { get; } = new();

    /// <summary>Answers to POST /orders with a given body, consulted before <see cref="ScriptedOrderReplies"/>.</summary>
    public Queue<(HttpStatusCode Status, string Body)> ScriptedOrderBodies { get; } = new();

    public List<LeaderAnnouncement> Announcements { get; } = [];

    public List<string> OrderKeys { get; } = [];

    public int Pings { get; set; }
}

/// <summary>A stub HttpMessageHandler standing in for a set of replicas, routed by port.</summary>
public sealed class FakeReplicas : HttpMessageHandler
{
    private readonly Lock _gate = new();
    private long _nextTransaction;

    public FakeReplicas(int count) => Replicas = [.. Enumerable.Range(1, count).Select(id => new FakeReplica(id))];

    public IReadOnlyList<FakeReplica> Replicas { get; }

    /// <summary>When set, pings wait for it: lets a test hold an election open.</summary>
    public Task? PingGate { get; set; }

    /// <summary>How long every ping takes to answer: a starved machine.</summary>
    public TimeSpan PingDelay { get; set; }

    public string OrderReplicasOption => string.Join(",", Replicas.Select(r => r.Url));

    public FakeReplica this[int id] => Replicas[id - 1];

    public static ReplicaAddress Endpoint(FakeReplica replica) => new(replica.Id, replica.Url);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var replica = Replicas.Single(r => r.Url == $"http://127.0.0.1:{request.RequestUri!.Port}");
        var path = request.RequestUri!.AbsolutePath;
        if (path == Routes.Ping && PingGate is { } gate)
        {
            await gate.WaitAsync(cancellationToken);
        }

        if (path == Routes.Ping && PingDelay > TimeSpan.Zero)
        {
            await Task.Delay(PingDelay, cancellationToken);
        }

        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (_gate)
        {
            if (!replica.Up)
            {
                throw new HttpRequestException("Connection refused (fake).");
            }

            return path switch
            {
                Routes.Ping => Ping(replica),
                Routes.SetLeader => SetLeader(replica, body),
                Routes.Orders => PlaceOrder(replica, request),
                _ => Json(HttpStatusCode.NotFound, """{"error":{"code":404,"message":"No such resource."}}"""),
            };
        }
    }

    private static HttpResponseMessage Ping(FakeReplica replica)
    {
        replica.Pings++;
        var hidden = replica.HideUntilAnnounced && replica.Announcements.Count == 0;
        var leader = replica.LeaderId is null || hidden ? "null" : $"\"{replica.LeaderId}\"";
        return Json(HttpStatusCode.OK, $$"""
            {"status":"ok","replica_id":{{replica.Id}},"leader_id":{{leader}},"epoch":{{(hidden ? 0 : replica.Epoch)}},
             "ready":{{(replica.Ready ? "true" : "false")}},"is_leader":{{(replica.IsLeader && !hidden ? "true" : "false")}},"max_transaction":-1}
            """);
    }

    private static HttpResponseMessage SetLeader(FakeReplica replica, string body)
    {
        var announcement = JsonSerializer.Deserialize(body, StockNetJsonContext.Default.LeaderAnnouncement)!;
        replica.Announcements.Add(announcement);
        if (replica.RefuseAnnouncements || announcement.Epoch < replica.Epoch)
        {
            return Json(HttpStatusCode.Conflict, """{"error":{"code":409,"message":"Stale epoch.","type":"stale-epoch"}}""");
        }

        replica.Epoch = announcement.Epoch ?? 0;
        replica.LeaderId = announcement.LeaderId;
        return Json(HttpStatusCode.OK, "{}");
    }

    private HttpResponseMessage PlaceOrder(FakeReplica replica, HttpRequestMessage request)
    {
        replica.OrderKeys.Add(request.Headers.GetValues(Routes.IdempotencyKeyHeader).Single());
        if (replica.ScriptedOrderBodies.TryDequeue(out var withBody))
        {
            return Json(withBody.Status, withBody.Body);
        }

        if (replica.ScriptedOrderReplies.TryDequeue(out var scripted))
        {
            return scripted == HttpStatusCode.ServiceUnavailable
                ? Json(scripted, """{"error":{"code":503,"message":"Recovering.","type":"recovering"}}""")
                : Json(scripted, $$$"""{"error":{"code":{{{(int)scripted}}},"message":"Scripted."}}""");
        }

        return replica.IsLeader
            ? Json(HttpStatusCode.OK, $$$"""{"data":{"transaction_number":{{{_nextTransaction++}}}}}""")
            : Json(HttpStatusCode.Forbidden, """{"error":{"code":403,"message":"Not the leader.","type":"not-leader"}}""");
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, MediaTypes.Json) };
}
