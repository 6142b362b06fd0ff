using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace StockNet.Contracts.Security;

/// <summary>
/// How an internal request proves it comes from the cluster: <c>Authorization: StockNet-HMAC t=..,n=..,s=..</c>,
/// where s is the HMAC-SHA256 with the <see cref="ClusterKey"/> over the method, the request target (path and
/// query as sent), the time t (Unix milliseconds), a random nonce n and the SHA-256 of the body. The receiver
/// accepts t within a few seconds of its own clock and each nonce once, so a captured request cannot be replayed
/// and no part of it can be changed.
/// </summary>
public static class RequestSignature
{
    public const string Scheme = "StockNet-HMAC";

    /// <summary>The SHA-256 of nothing: GET requests and empty bodies.</summary>
    public static readonly byte[] EmptyBodyHash = SHA256.HashData([]);

    /// <summary>The <c>Authorization</c> header's parameter (after the scheme) for one request.</summary>
    public static string Create(ClusterKey key, string method, string target, byte[] bodyHash, long timestampMs, Guid nonce)
    {
        var signature = Compute(key, method, target, bodyHash, timestampMs, nonce);
        return string.Create(CultureInfo.InvariantCulture, $"t={timestampMs},n={nonce:N},s={Convert.ToBase64String(signature)}");
    }

    /// <summary>Reads the header parameter; false when it is not exactly t, n and s in that form.</summary>
    public static bool TryParse(string parameter, out long timestampMs, out Guid nonce, out byte[] signature)
    {
        timestampMs = 0;
        nonce = Guid.Empty;
        signature = [];
        var parts = parameter.Split(',');
        if (parts.Length != 3 || !parts[0].StartsWith("t=", StringComparison.Ordinal) || !parts[1].StartsWith("n=", StringComparison.Ordinal)
            || !parts[2].StartsWith("s=", StringComparison.Ordinal))
        {
            return false;
        }

        var buffer = new byte[32];
        if (!long.TryParse(parts[0].AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out timestampMs)
            || !Guid.TryParseExact(parts[1].AsSpan(2), "N", out nonce)
            || !Convert.TryFromBase64String(parts[2][2..], buffer, out var written) || written != buffer.Length)
        {
            return false;
        }

        signature = buffer;
        return true;
    }

    /// <summary>Compares in constant time, so the answer's timing tells nothing about how much of a guess was right.</summary>
    public static bool Verify(ClusterKey key, string method, string target, byte[] bodyHash, long timestampMs, Guid nonce, byte[] signature) =>
        CryptographicOperations.FixedTimeEquals(Compute(key, method, target, bodyHash, timestampMs, nonce), signature);

    private static byte[] Compute(ClusterKey key, string method, string target, byte[] bodyHash, long timestampMs, Guid nonce)
    {
        var canonical = string.Create(
            CultureInfo.InvariantCulture,
            $"{method.ToUpperInvariant()}\n{target}\n{timestampMs}\n{nonce:N}\n{Convert.ToHexStringLower(bodyHash)}");
        return key.Sign(Encoding.UTF8.GetBytes(canonical));
    }
}
