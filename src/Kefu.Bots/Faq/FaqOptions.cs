namespace Kefu.Bots.Faq;

/// <summary>Thresholds on the calibrated confidence.</summary>
public sealed record FaqOptions
{
    /// <summary>At or above: answer directly.</summary>
    public double AnswerThreshold { get; init; } = 0.75;

    /// <summary>At or above (and below <see cref="AnswerThreshold"/>): offer suggestions.</summary>
    public double SuggestThreshold { get; init; } = 0.35;

    /// <summary>How many suggestions to offer in the middle band.</summary>
    public int SuggestionCount { get; init; } = 3;

    public void Validate()
    {
        if (SuggestThreshold is < 0 or > 1 || AnswerThreshold is < 0 or > 1 || SuggestThreshold > AnswerThreshold)
        {
            throw new ArgumentException("FAQ thresholds must satisfy 0 <= SuggestThreshold <= AnswerThreshold <= 1.");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(SuggestionCount, 1);
    }
}
