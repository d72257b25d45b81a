using Kefu.Server.Routing;

namespace Kefu.Server.Bots;

/// <summary>
/// Whether a team has an agent taking conversations now (for "bot only when no agent is available"), across every
/// node of the deployment: routing's <see cref="AvailableAgents"/> answers from the shared agent presence.
/// <see cref="BotAgentWatch"/> still lets the node where an agent becomes available take over what the bot serves.
/// </summary>
internal sealed class BotAgents(AvailableAgents available)
{
    /// <param name="teamId">Null: any agent of the tenant.</param>
    public Task<bool> AnyAvailableAsync(string tenantId, string? teamId, CancellationToken cancellationToken) =>
        available.AnyAsync(tenantId, teamId, cancellationToken);
}
