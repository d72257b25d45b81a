namespace Kefu.Core.Bots;

/// <summary>A team with conversations the bot serves only until one of its agents is available.</summary>
public sealed record BotWaitingTeam(string TenantId, string TeamId);
