namespace StockNet.Orders.Tests.Infrastructure;

/// <summary>Polls a condition until it holds or a deadline passes; never a fixed sleep.</summary>
internal static class Eventually
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string describe, TimeSpan? timeout = null)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        var delay = TimeSpan.FromMilliseconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Timed out waiting for: " + describe);
            }

            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(200, delay.TotalMilliseconds * 2));
        }
    }
}
