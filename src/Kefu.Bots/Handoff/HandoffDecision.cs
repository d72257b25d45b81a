namespace Kefu.Bots.Handoff;

/// <summary>The counter to keep for the conversation, and whether to hand it to a human now.</summary>
public sealed record HandoffDecision(int FailuresInARow, bool Handoff);
