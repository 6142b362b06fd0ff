using System.Runtime.InteropServices;

namespace StockNet.Cluster.Network;

/// <summary>
/// The few calls of Debian's libnetfilter_queue (package libnetfilter-queue1) that <see cref="PacketDelayer"/> uses,
/// and the libc calls it needs around them: setns(2) to open the queue inside a host's namespace, setsockopt(2) for a
/// large receive buffer, poll(2) and recv(2) to wait for packets or for the next one that is due.
/// </summary>
internal static unsafe partial class NetfilterQueueNative
{
    public const string Library = "libnetfilter_queue.so.1";

    /// <summary>NF_ACCEPT: the packet goes on through the rest of the rules.</summary>
    public const uint Accept = 1;

    /// <summary>NFQNL_COPY_META: the kernel sends each packet's header and metadata, not its payload.</summary>
    public const byte CopyMetadata = 1;

    /// <summary>NFQA_CFG_F_FAIL_OPEN: a full queue lets packets pass instead of dropping them.</summary>
    public const uint FailOpen = 1;

    public const int CloneNewNet = 0x40000000;
    public const short PollIn = 1;
    public const int DontWait = 0x40;
    public const int ReadOnly = 0;
    public const int CloseOnExec = 0x80000;

    /// <summary>SOL_SOCKET and SO_RCVBUFFORCE: a receive buffer past net.core.rmem_max (root only).</summary>
    public const int SocketLevel = 1;
    public const int ReceiveBufferForce = 33;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }

    /// <summary>True when the library can be loaded here.</summary>
    public static bool IsAvailable()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad(Library, out var handle))
        {
            return false;
        }

        NativeLibrary.Free(handle);
        return true;
    }

    [LibraryImport(Library, EntryPoint = "nfq_open", SetLastError = true)]
    public static partial nint Open();

    [LibraryImport(Library, EntryPoint = "nfq_close")]
    public static partial int Close(nint handle);

    [LibraryImport(Library, EntryPoint = "nfq_create_queue", SetLastError = true)]
    public static partial nint CreateQueue(nint handle, ushort number, delegate* unmanaged<nint, nint, nint, nint, int> callback, nint data);

    [LibraryImport(Library, EntryPoint = "nfq_destroy_queue")]
    public static partial int DestroyQueue(nint queue);

    [LibraryImport(Library, EntryPoint = "nfq_set_mode", SetLastError = true)]
    public static partial int SetMode(nint queue, byte mode, uint range);

    [LibraryImport(Library, EntryPoint = "nfq_set_queue_maxlen")]
    public static partial int SetQueueMaxLength(nint queue, uint length);

    [LibraryImport(Library, EntryPoint = "nfq_set_queue_flags")]
    public static partial int SetQueueFlags(nint queue, uint mask, uint flags);

    [LibraryImport(Library, EntryPoint = "nfq_fd")]
    public static partial int Descriptor(nint handle);

    [LibraryImport(Library, EntryPoint = "nfq_handle_packet")]
    public static partial int HandlePacket(nint handle, byte* buffer, int length);

    /// <summary>The packet's nfqnl_msg_packet_hdr: its id (big-endian) comes first.</summary>
    [LibraryImport(Library, EntryPoint = "nfq_get_msg_packet_hdr")]
    public static partial uint* PacketHeader(nint data);

    [LibraryImport(Library, EntryPoint = "nfq_set_verdict")]
    public static partial int SetVerdict(nint queue, uint id, uint verdict, uint length, nint buffer);

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    public static partial int SetNamespace(int fd, int type);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int OpenFile(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    public static partial int CloseFile(int fd);

    [LibraryImport("libc", EntryPoint = "setsockopt")]
    public static partial int SetSocketOption(int fd, int level, int name, int* value, uint length);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    public static partial nint Receive(int fd, byte* buffer, nuint length, int flags);
}
