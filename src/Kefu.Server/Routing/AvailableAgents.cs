using Kefu.Core.Storage;
using Kefu.Server.Agents;

namespace Kefu.Server.Routing;

/// <summary>
/// Whether anybody takes conversations now, across every node of the deployment: an agent that is enabled,
/// online (not away) and held by some node. For decisions made outside the router (the bot serving while
/// nobody is there, for example).
/// </summary>
internal sealed class AvailableAgents(IDirectoryStore directory, AgentPresence presence)
{
    /// <param name="teamId">Null: any agent of the tenant.</param>
    public async Task<bool> AnyAsync(string tenantId, string? teamId, CancellationToken cancellationToken)
    {
        var agents = await directory.ListAgentsAsync(tenantId, cancellationToken);
        return agents.Any(a => !a.Agent.Disabled && (teamId is null || a.TeamIds.Contains(teamId)) && presence.TakesConversations(a.Agent.Id));
    }
}
