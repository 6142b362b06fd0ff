using System.Security.Cryptography;
using System.Text;
using StockNet.Contracts.Security;

namespace StockNet.Security.Tests;

/// <summary>The signature itself, in-process: its canonical form, what it binds, and the header it parses.</summary>
public sealed class RequestSignatureTests
{
    private static readonly ClusterKey Key = ClusterKey.Parse("test-vector-cluster-key-0123456789");
    private static readonly byte[] TradeHash = SHA256.HashData(Encoding.UTF8.GetBytes("""{"type":"buy","quantity":1}"""));
    private static readonly Guid Nonce = Guid.Parse("0123456789abcdef0123456789abcdef");
    private const long Time = 1764500000123;

    [Theory]
    // Made by the first version, which built the canonical form as a string: a signer of either version is understood by both.
    [InlineData("post", "/stocks/GOOG?x=1", true, "0123456789abcdef0123456789abcdef", "t=1764500000123,n=0123456789abcdef0123456789abcdef,s=Vd1T5DRgijQAHSmdSsgn+G89E9qlpUYpQGHxEHLHGVo=")]
    [InlineData("GET", "/orders/7", false, "fedcba9876543210fedcba9876543210", "t=1764500000123,n=fedcba9876543210fedcba9876543210,s=11bHaBanTTgBRcBIpBD9NzNvjfrXh6ig02p+pG7U/1Q=")]
    public void Create_KnownInputs_TheSameSignatureAsEver(string method, string target, bool withBody, string nonce, string expected)
    {
        var parameter = RequestSignature.Create(Key, method, target, withBody ? TradeHash : RequestSignature.EmptyBodyHash, Time, Guid.Parse(nonce));

        Assert.Equal(expected, parameter);
        Assert.Equal(RequestSignature.Scheme + " " + expected, RequestSignature.CreateHeader(Key, method, target, withBody ? TradeHash : RequestSignature.EmptyBodyHash, Time, Guid.Parse(nonce)));
    }

    [Fact]
    public void Verify_WhatWasSigned_True()
    {
        var parts = Parse(RequestSignature.Create(Key, "POST", "/stocks/GOOG", TradeHash, Time, Nonce));

        Assert.Equal((Time, Nonce), (parts.TimestampMs, parts.Nonce));
        Assert.True(RequestSignature.Verify(Key, "POST", "/stocks/GOOG", TradeHash, parts));
    }

    [Fact]
    public void Verify_AnyPartChanged_False()
    {
        var parts = Parse(RequestSignature.Create(Key, "POST", "/stocks/GOOG", TradeHash, Time, Nonce));

        Assert.False(RequestSignature.Verify(Key, "PUT", "/stocks/GOOG", TradeHash, parts));
        Assert.False(RequestSignature.Verify(Key, "POST", "/stocks/IBM", TradeHash, parts));
        Assert.False(RequestSignature.Verify(Key, "POST", "/stocks/GOOG", RequestSignature.EmptyBodyHash, parts));
        Assert.False(RequestSignature.Verify(ClusterKey.Parse("another-cluster-key-0123456789"), "POST", "/stocks/GOOG", TradeHash, parts));
    }

    [Fact]
    public void Verify_AnotherTimeOrNonceWithTheSignature_False()
    {
        var signature = RequestSignature.Create(Key, "POST", "/stocks/GOOG", TradeHash, Time, Nonce).Split(",s=")[1];

        Assert.False(RequestSignature.Verify(Key, "POST", "/stocks/GOOG", TradeHash, Parse($"t={Time + 1},n={Nonce:N},s={signature}")));
        Assert.False(RequestSignature.Verify(Key, "POST", "/stocks/GOOG", TradeHash, Parse($"t={Time},n={Guid.NewGuid():N},s={signature}")));
    }

    [Fact]
    public void Verify_TargetLongerThanTheStackBuffer_RoundTrips()
    {
        var target = "/stocks/GOOG?pad=" + new string('x', 3000);
        var parts = Parse(RequestSignature.Create(Key, "GET", target, RequestSignature.EmptyBodyHash, Time, Nonce));

        Assert.True(RequestSignature.Verify(Key, "GET", target, RequestSignature.EmptyBodyHash, parts));
        Assert.False(RequestSignature.Verify(Key, "GET", target + "y", RequestSignature.EmptyBodyHash, parts));
    }

    [Theory]
    [InlineData("")]
    [InlineData("t=1,n=2,s=3")]
    [InlineData("t=1764500000123,n=0123456789abcdef0123456789abcdef")]
    [InlineData("t=1764500000123,n=0123456789abcdef0123456789abcdef,s=Vd1T5DRgijQAHSmdSsgn+G89E9qlpUYpQGHxEHLHGVo=,")]
    [InlineData("t=1764500000123,n=0123456789abcdef0123456789abcdef,s=Vd1T5DRgijQAHSmdSsgn+G89E9qlpUYpQGHxEHLHGVo=,x=1")]
    [InlineData("n=0123456789abcdef0123456789abcdef,t=1764500000123,s=Vd1T5DRgijQAHSmdSsgn+G89E9qlpUYpQGHxEHLHGVo=")]
    [InlineData("t=-1764500000123,n=0123456789abcdef0123456789abcdef,s=Vd1T5DRgijQAHSmdSsgn+G89E9qlpUYpQGHxEHLHGVo=")]
    [InlineData("t=99999999999999999999,n=0123456789abcdef0123456789abcdef,s=Vd1T5DRgijQAHSmdSsgn+G89E9qlpUYpQGHxEHLHGVo=")]
    [InlineData("t=1764500000123,n=0123456789abcdef0123456789abcde,s=Vd1T5DRgijQAHSmdSsgn+G89E9qlpUYpQGHxEHLHGVo=")]
    [InlineData("t=1764500000123,n=0123456789abcdef0123456789abcdef,s=Vd1T5DRgijQAHSmdSsgn+G89E9qlpUYpQGHxEHLH")]
    [InlineData("t=1764500000123,n=0123456789abcdef0123456789abcdef,s=Vd1T5DRgijQAHSmdSsgn+G89E9qlpUYpQGHxEHLHGVoAAAA=")]
    public void TryParse_NotExactlyTimeNonceSignature_False(string parameter) =>
        Assert.False(RequestSignature.TryParse(parameter, out _));

    [Fact]
    public void Next_ManyNonces_NoneRepeats()
    {
        var nonces = Enumerable.Range(0, 100_000).AsParallel().Select(_ => RequestNonce.Next()).ToList();

        Assert.Equal(nonces.Count, nonces.Distinct().Count());
    }

    private static SignedParts Parse(string parameter) =>
        RequestSignature.TryParse(parameter, out var parts) ? parts : throw new InvalidOperationException($"'{parameter}' did not parse");
}
