using Kefu.Core.Storage;
using Kefu.Server.Agents;

namespace Kefu.Server.Bots;

/// <summary>
/// Whether a team has an agent taking conversations now (for "bot only when no agent is available"). Agent presence
/// is known per node (the agents connected here), so this answers for this node; <see cref="BotAgentWatch"/> lets the
/// node where an agent is online take over what another node gave to the bot. This is the one place to ask a
/// cluster-wide presence instead, once there is one.
/// </summary>
internal sealed class BotAgents(IDirectoryStore directory, AgentPresence presence)
{
    /// <param name="teamId">Null: any agent of the tenant.</param>
    public async Task<bool> AnyAvailableAsync(string tenantId, string? teamId, CancellationToken cancellationToken)
    {
        var agents = await directory.ListAgentsAsync(tenantId, cancellationToken);
        return agents.Any(a => !a.Agent.Disabled && (teamId is null || a.TeamIds.Contains(teamId)) && presence.TakesConversations(a.Agent.Id));
    }
}
