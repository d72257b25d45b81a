using Kefu.Core.Bots;

namespace Kefu.Bots.Chain;

/// <summary>What the chain decided, the reply to send (if any) and which bot gave it.</summary>
public sealed record BotChainResult(BotOutcome Outcome, BotReply? Reply, string? BotName)
{
    public static BotChainResult Unknown { get; } = new(BotOutcome.Unknown, null, null);
}
