namespace Kefu.Bots.Chain;

public sealed record BotChainOptions
{
    /// <summary>A reply at or above this confidence is sent and ends the chain.</summary>
    public double ConfidenceThreshold { get; init; } = 0.75;

    /// <summary>A quick-replies reply at or above this (and below the threshold) is kept as suggestions.</summary>
    public double SuggestionThreshold { get; init; } = 0.35;

    /// <summary>How long a bot may take before it is skipped.</summary>
    public TimeSpan PerBotTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Per-bot overrides of <see cref="PerBotTimeout"/>, by <c>IBot.Name</c> (an LLM needs longer than rules).</summary>
    public IReadOnlyDictionary<string, TimeSpan> Timeouts { get; init; } = new Dictionary<string, TimeSpan>();

    public TimeSpan TimeoutFor(string botName) => Timeouts.TryGetValue(botName, out var timeout) ? timeout : PerBotTimeout;

    public void Validate()
    {
        if (SuggestionThreshold is < 0 or > 1 || ConfidenceThreshold is < 0 or > 1 || SuggestionThreshold > ConfidenceThreshold)
        {
            throw new ArgumentException("Bot chain thresholds must satisfy 0 <= SuggestionThreshold <= ConfidenceThreshold <= 1.");
        }
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PerBotTimeout, TimeSpan.Zero);
    }
}
