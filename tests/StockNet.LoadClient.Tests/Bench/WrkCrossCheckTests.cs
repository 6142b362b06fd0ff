using StockNet.LoadClient.Bench;

namespace StockNet.LoadClient.Tests.Bench;

public sealed class WrkCrossCheckTests
{
    private const string Output = """
        Running 5s test @ http://127.0.0.1:9001/stocks/GOOG
          2 threads and 64 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency     1.23ms    2.00ms  30.00ms   90.00%
            Req/Sec    25.00k     2.00k   30.00k    70.00%
          Latency Distribution
             50%  812.00us
             75%    1.20ms
             90%    2.00ms
             99%    8.50ms
          250000 requests in 5.00s, 40.00MB read
          Socket errors: connect 0, read 2, write 0, timeout 3
          Non-2xx or 3xx responses: 12
        Requests/sec:  50000.50
        Transfer/sec:      8.00MB
        """;

    [Fact]
    public void Parse_WrkSummary_FiguresRead()
    {
        var result = WrkCrossCheck.Parse("wrk cached-lookup", 64, Output);

        Assert.NotNull(result);
        Assert.Equal(("wrk cached-lookup", 64, 250_000L, 17L, 5.0, 50_000.5), (result.Scenario, result.Connections, result.Requests, result.Errors, result.Seconds, result.RequestsPerSecond));
        Assert.Equal(0.812, result.P50Ms, precision: 9);
        Assert.Equal(8.5, result.P99Ms, precision: 9);
    }

    [Fact]
    public void Parse_NoSummary_Null()
    {
        Assert.Null(WrkCrossCheck.Parse("wrk trade", 8, "unable to connect to 127.0.0.1:9001 Connection refused"));
    }
}
