using System.Security.Cryptography;
using System.Text;

namespace StockNet.Contracts.Security;

/// <summary>
/// The secret every service of one cluster shares: internal requests are signed with it (<see cref="RequestSignature"/>).
/// It comes from a file (<see cref="FileVariable"/>) or the environment (<see cref="Variable"/>); <c>stocknet up</c>
/// writes a random one per data directory. The secret is never printed: <see cref="ToString"/> hides it.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Design", "CA1001", Justification = "A key lives as long as its process; its per-thread HMAC handles are released by their finalizers.")]
public sealed class ClusterKey
{
    public const string Variable = "STOCKNET_CLUSTER_KEY";
    public const string FileVariable = "STOCKNET_CLUSTER_KEY_FILE";

    /// <summary>The file <c>stocknet up</c> keeps in its data directory.</summary>
    public const string FileName = "cluster.key";

    /// <summary>Shorter secrets are refused: a guessable key is no credential.</summary>
    public const int MinimumLength = 16;

    public static readonly string HowToGive =
        $"Give the cluster key in a file named by {FileVariable} (or --Cluster:KeyFile), or in {Variable}: at least {MinimumLength} characters, "
        + "the same for every service of the cluster ('stocknet up' makes one in its data directory). "
        + "Or start with --insecure to accept unsigned requests (only beside services that cannot sign).";

    private readonly byte[] _secret;

    // One keyed HMAC per thread, reset after each use: a one-shot HMACSHA256.HashData sets the key up anew on every
    // call, twice the cost of the hash itself over a canonical form this small. An IncrementalHash is not
    // thread-safe, hence one per thread; Sign never awaits, so a call cannot move threads half-way.
    private readonly ThreadLocal<IncrementalHash> _hmac;

    private ClusterKey(byte[] secret)
    {
        _secret = secret;
        _hmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _secret));
    }

    /// <summary>A key from its text form; surrounding whitespace (a file's newline) is ignored.</summary>
    public static ClusterKey Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length < MinimumLength)
        {
            throw new ArgumentException($"The cluster key is {trimmed.Length} characters; it must be at least {MinimumLength}.", nameof(text));
        }

        return new ClusterKey(Encoding.UTF8.GetBytes(trimmed));
    }

    public static ClusterKey FromFile(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"The cluster key file {path} cannot be read: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"The cluster key file {path} is unusable: {ex.Message}", ex);
        }
    }

    /// <summary>The key a file or variable names, the file first; null when neither is set.</summary>
    public static ClusterKey? Find(string? keyFile, string? key)
    {
        if (!string.IsNullOrWhiteSpace(keyFile))
        {
            return FromFile(keyFile);
        }

        return string.IsNullOrWhiteSpace(key) ? null : Parse(key);
    }

    /// <summary>The key of the process environment (<see cref="FileVariable"/>, then <see cref="Variable"/>); null when neither is set.</summary>
    public static ClusterKey? FromEnvironment() =>
        Find(Environment.GetEnvironmentVariable(FileVariable), Environment.GetEnvironmentVariable(Variable));

    /// <summary>Reads the key file at <paramref name="path"/>, or writes a new random one there, readable by its owner only.</summary>
    public static ClusterKey LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return FromFile(path);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, Encoding.ASCII, options))
        {
            writer.WriteLine(secret);
        }

        return Parse(secret);
    }

    internal void Sign(ReadOnlySpan<byte> data, Span<byte> signature)
    {
        var hmac = _hmac.Value!;
        hmac.AppendData(data);
        hmac.GetHashAndReset(signature);
    }

    public override string ToString() => "ClusterKey(hidden)";
}
