using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;
using static StockNet.Cluster.Network.NetfilterQueueNative;

namespace StockNet.Cluster.Network;

/*
 * Delay without netem: where the kernel lacks sch_netem, rules in a host's namespace send its packets to an NFQUEUE,
 * and this delayer holds each one for the delay before it accepts it. It is no process of its own: one thread of the
 * harness enters the host's network namespace (setns), opens the queue's netlink socket there (a socket stays in the
 * namespace it was made in), returns to its own namespace, and then waits for packets and releases each when it is
 * due. Packets are released in arrival order (one delay for all). Stopping accepts whatever is still held; if the
 * harness dies instead, the kernel closes the socket and the rules' queue-bypass lets packets through undelayed.
 */
internal sealed class PacketDelayer : IDisposable
{
    private const int ReceiveBufferSize = 64 * 1024;
    private const int IdleWaitMilliseconds = 100;

    private readonly string _namespacePath;
    private readonly ushort _queueNumber;
    private readonly TimeSpan _delay;
    private readonly Queue<(uint Id, long Due)> _held = new();
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Thread _thread;
    private volatile bool _stopping;
    private long _delayed;

    private PacketDelayer(string namespacePath, ushort queueNumber, TimeSpan delay)
    {
        _namespacePath = namespacePath;
        _queueNumber = queueNumber;
        _delay = delay;
        _thread = new Thread(Run) { IsBackground = true, Name = "packet delayer " + namespacePath };
    }

    /// <summary>How many packets this delayer has held so far.</summary>
    public long Delayed => Interlocked.Read(ref _delayed);

    /// <summary>
    /// Binds queue <paramref name="queueNumber"/> of the namespace at <paramref name="namespacePath"/> and starts
    /// holding its packets for <paramref name="delay"/>; throws <see cref="NetworkSetupException"/> if it cannot.
    /// </summary>
    public static async Task<PacketDelayer> StartAsync(string namespacePath, ushort queueNumber, TimeSpan delay)
    {
        var delayer = new PacketDelayer(namespacePath, queueNumber, delay);
        delayer._thread.Start();
        await delayer._opened.Task;
        return delayer;
    }

    /// <summary>Accepts every held packet, unbinds the queue and waits for the thread to end.</summary>
    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
    }

    [UnmanagedCallersOnly]
    private static unsafe int OnPacket(nint queue, nint message, nint data, nint state)
    {
        var delayer = (PacketDelayer)GCHandle.FromIntPtr(state).Target!;
        var header = PacketHeader(data);
        if (header is not null)
        {
            delayer._held.Enqueue((BinaryPrimitives.ReverseEndianness(*header), Stopwatch.GetTimestamp() + delayer.DelayTicks));
            Interlocked.Increment(ref delayer._delayed);
        }

        return 0;
    }

    private long DelayTicks => (long)(_delay.TotalSeconds * Stopwatch.Frequency);

    private void Run()
    {
        var self = GCHandle.Alloc(this);
        nint handle = 0, queue = 0;
        try
        {
            (handle, queue) = OpenInNamespace(self);
            _opened.SetResult();
            Loop(handle, queue);
        }
        catch (NetworkSetupException ex)
        {
            _opened.TrySetException(ex);
        }
        finally
        {
            if (queue != 0)
            {
                ReleaseDue(queue, long.MaxValue);
                _ = DestroyQueue(queue);
            }

            if (handle != 0)
            {
                _ = Close(handle);
            }

            self.Free();
        }
    }

    private unsafe (nint Handle, nint Queue) OpenInNamespace(GCHandle self)
    {
        var home = OpenFile("/proc/thread-self/ns/net", ReadOnly | CloseOnExec);
        var target = OpenFile(_namespacePath, ReadOnly | CloseOnExec);
        try
        {
            if (home < 0 || target < 0 || SetNamespace(target, CloneNewNet) != 0)
            {
                throw new NetworkSetupException($"Cannot enter the network namespace {_namespacePath} (errno {Marshal.GetLastPInvokeError()}).");
            }

            nint handle = 0;
            try
            {
                handle = Open();
                var queue = handle == 0 ? 0 : CreateQueue(handle, _queueNumber, &OnPacket, GCHandle.ToIntPtr(self));
                if (queue == 0 || SetMode(queue, CopyMetadata, 0) < 0)
                {
                    throw new NetworkSetupException($"Cannot bind netfilter queue {_queueNumber} in {_namespacePath} (errno {Marshal.GetLastPInvokeError()}).");
                }

                // Past 4,096 held packets the kernel lets more pass undelayed. A packet whose message overflowed the
                // socket (ENOBUFS) would be held until the queue closes, then dropped: a large buffer keeps that away.
                _ = SetQueueMaxLength(queue, 4096);
                _ = SetQueueFlags(queue, FailOpen, FailOpen);
                var bufferBytes = 4 << 20;
                _ = SetSocketOption(Descriptor(handle), SocketLevel, ReceiveBufferForce, &bufferBytes, sizeof(int));
                return (handle, queue);
            }
            catch
            {
                if (handle != 0)
                {
                    _ = Close(handle);
                }

                throw;
            }
            finally
            {
                // Back home: the socket stays in the host's namespace, this thread need not. Should the return fail,
                // nothing is harmed: this thread only serves the queue and ends with it.
                _ = SetNamespace(home, CloneNewNet);
            }
        }
        finally
        {
            _ = CloseFile(home);
            _ = CloseFile(target);
        }
    }

    private unsafe void Loop(nint handle, nint queue)
    {
        var buffer = new byte[ReceiveBufferSize];
        var poll = new PollFd { Fd = Descriptor(handle), Events = PollIn };
        fixed (byte* start = buffer)
        {
            while (!_stopping)
            {
                poll.ReturnedEvents = 0;
                _ = Poll(&poll, 1, WaitMilliseconds());
                if ((poll.ReturnedEvents & PollIn) != 0)
                {
                    // Reads until the socket is empty; an error (EAGAIN, or ENOBUFS after an overflow) ends the batch.
                    nint received;
                    while ((received = Receive(poll.Fd, start, ReceiveBufferSize, DontWait)) > 0)
                    {
                        _ = HandlePacket(handle, start, (int)received);
                    }
                }

                ReleaseDue(queue, Stopwatch.GetTimestamp());
            }
        }
    }

    private int WaitMilliseconds()
    {
        if (!_held.TryPeek(out var first))
        {
            return IdleWaitMilliseconds;
        }

        var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), first.Due);
        return Math.Clamp((int)Math.Ceiling(remaining.TotalMilliseconds), 0, IdleWaitMilliseconds);
    }

    private void ReleaseDue(nint queue, long now)
    {
        while (_held.TryPeek(out var first) && first.Due <= now)
        {
            _held.Dequeue();
            _ = SetVerdict(queue, first.Id, Accept, 0, 0);
        }
    }
}
