namespace StockNet.LoadClient;

/// <summary>What <c>stocknet load</c> and <c>stocknet bench</c> return.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>At least one order was missing or did not match what was placed.</summary>
    public const int VerificationFailed = 1;

    /// <summary>Bad flags, or the cluster could not be started.</summary>
    public const int BadOptions = 2;

    /// <summary>Verification passed but some requests failed (errors other than refused buys).</summary>
    public const int RequestErrors = 3;
}
