using System.Net.Sockets;

namespace StockNet.Cluster;

/// <summary>
/// A port from <see cref="FreePorts"/> is free when probed and bound by its service a moment later; another process may
/// bind it in between (test suites run side by side and take ports the same way), and the service then fails to start.
/// Whoever starts services on such ports starts them all again on new ones when that happens, here: only that failure is
/// tried again, since the port was never the service's and nothing it did has failed.
/// </summary>
public static class PortRace
{
    /// <summary>How often a start is tried in all; three losses in a row mean something else holds the ports.</summary>
    public const int Attempts = 3;

    /// <summary>
    /// True when <paramref name="exception"/> says a service could not bind its port: a child process's start failure
    /// whose log says so (<see cref="ServiceStartException.PortInUse"/>), or Kestrel in this process refusing an address
    /// in use (an <see cref="IOException"/> around its AddressInUseException, around the socket's error).
    /// </summary>
    public static bool Lost(Exception exception) => exception switch
    {
        ServiceStartException start => start.PortInUse,
        IOException { InnerException.InnerException: SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } } => true,
        _ => false,
    };

    /// <summary>
    /// Runs <paramref name="start"/>, which takes its ports from <see cref="FreePorts"/> and cleans up after itself when it
    /// fails, again while it loses a port (<see cref="Lost"/>), at most <paramref name="attempts"/> times in all.
    /// </summary>
    public static async Task<T> RetryAsync<T>(Func<Task<T>> start, int attempts = Attempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await start();
            }
            catch (Exception ex) when (attempt < attempts && Lost(ex))
            {
                // Lost a port before binding it: the next attempt takes new ones.
            }
        }
    }

    /// <summary><see cref="RetryAsync{T}"/> for a start, or a whole test, that returns nothing.</summary>
    public static Task RetryAsync(Func<Task> run, int attempts = Attempts) =>
        RetryAsync(
            async () =>
            {
                await run();
                return true;
            },
            attempts);
}
