using System.Buffers.Binary;
using System.Security.Cryptography;

namespace StockNet.Contracts.Security;

/// <summary>
/// The nonces this process signs with: 8 random bytes drawn once at start, then a counter. A nonce must never repeat
/// (the receiver refuses one it has seen, which is what stops a replay); it need not be unpredictable, since no one
/// without the key can sign a request whatever its nonce. A fresh random Guid per request cost a system call each.
/// </summary>
public static class RequestNonce
{
    private static readonly ulong Prefix = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(sizeof(ulong)));
    private static long _counter;

    public static Guid Next()
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, Prefix);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[8..], Interlocked.Increment(ref _counter));
        return new Guid(bytes);
    }
}
