namespace StockNet.LoadClient.Tests;

public sealed class ProbabilityListTests
{
    [Fact]
    public void TryParse_DefaultSweep_FiveValues()
    {
        var ok = ProbabilityList.TryParse("0,0.2,0.4,0.6,0.8", out var values, out var errors);

        Assert.True(ok);
        Assert.Equal([0, 0.2, 0.4, 0.6, 0.8], values);
        Assert.Empty(errors);
    }

    [Fact]
    public void TryParse_SpacesAndOne_Accepted()
    {
        var ok = ProbabilityList.TryParse(" 1 , 0.5", out var values, out _);

        Assert.True(ok);
        Assert.Equal([1, 0.5], values);
    }

    [Fact]
    public void TryParse_SeveralBadValues_EveryErrorReported()
    {
        var ok = ProbabilityList.TryParse("0.2,x,1.5,-0.1,0.2,NaN", out var values, out var errors);

        Assert.False(ok);
        Assert.Equal([0.2], values);
        Assert.Equal(
            [
                "--p: 'x' is not a number.",
                "--p: 1.5 is not a probability from 0 to 1.",
                "--p: -0.1 is not a probability from 0 to 1.",
                "--p: 0.2 is listed twice.",
                "--p: 'NaN' is not a number.",
            ],
            errors);
    }
}
