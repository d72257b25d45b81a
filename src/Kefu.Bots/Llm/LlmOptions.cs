namespace Kefu.Bots.Llm;

/// <summary>
/// An OpenAI-compatible chat endpoint. Off unless <see cref="BaseUrl"/> and <see cref="Model"/> are
/// set. <see cref="BaseUrl"/> includes the version path, e.g. <c>http://127.0.0.1:8000/v1</c>.
/// </summary>
public sealed record LlmOptions
{
    public string? BaseUrl { get; init; }

    public string? Model { get; init; }

    public string? ApiKey { get; init; }

    /// <summary>How long one answer may take; a slower model counts as a failure.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>Failures among recent calls (ratio) that open the circuit.</summary>
    public double FailureRatio { get; init; } = 0.5;

    /// <summary>Calls within <see cref="SamplingDuration"/> needed before the circuit may open.</summary>
    public int MinimumThroughput { get; init; } = 2;

    public TimeSpan SamplingDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the circuit stays open: during it the bot answers nothing, at once.</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The confidence given to a grounded answer (the chain sends it when it reaches its threshold).</summary>
    public double Confidence { get; init; } = 0.8;

    /// <summary>How many FAQ entries to put in the prompt.</summary>
    public int GroundingEntries { get; init; } = 3;

    public int MaxOutputTokens { get; init; } = 400;

    public string BrandName { get; init; } = "our company";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(BaseUrl) && !string.IsNullOrWhiteSpace(Model);

    public void Validate()
    {
        if (!IsConfigured)
        {
            return;
        }
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Bot LLM BaseUrl '{BaseUrl}' must be an absolute http(s) URL such as http://127.0.0.1:8000/v1.");
        }
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MinimumThroughput, 2);
        if (FailureRatio is <= 0 or > 1 || Confidence is < 0 or > 1)
        {
            throw new ArgumentException("Bot LLM FailureRatio must be in (0, 1] and Confidence in [0, 1].");
        }
    }
}
