namespace Kefu.Bots.Chain;

public enum BotOutcome
{
    /// <summary>A bot answered with enough confidence: send <see cref="BotChainResult.Reply"/>.</summary>
    Answered,

    /// <summary>No confident answer, but suggestions to offer: send the reply (quick replies).</summary>
    Suggested,

    /// <summary>The visitor asked for a human, or the policy decided so: queue the conversation.</summary>
    Handoff,

    /// <summary>Nothing to say: send the "don't know" text, count a failure.</summary>
    Unknown,
}
