namespace Kefu.Bots.Handoff;

public sealed record HandoffPolicyOptions
{
    /// <summary>Failed answers in a row after which the conversation goes to a human.</summary>
    public int MaxFailuresInARow { get; init; } = 3;

    /// <summary>Whether offering suggestions (not a direct answer) counts as a failure.</summary>
    public bool CountSuggestionsAsFailures { get; init; } = true;
}
