using Kefu.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Kefu.Storage.Sqlite.Reading;

/// <summary>Agents with teams and skills, teams with settings, and the conversations routing rebuilds from.</summary>
internal sealed class RoutingQueries(SqliteReader reader)
{
    private const string AgentById = "SELECT " + RoutingRows.AgentProfileColumns + " FROM agents a WHERE a.id = $id;";
    private const string AgentsOfTenant = "SELECT " + RoutingRows.AgentProfileColumns + " FROM agents a WHERE a.tenant_id = $tenant ORDER BY a.username;";
    private const string TeamsOfTenant = "SELECT " + RoutingRows.TeamColumns + " FROM teams WHERE tenant_id = $tenant ORDER BY is_default DESC, name;";

    private const string Routable =
        "SELECT " + Rows.ConversationColumns + ", COALESCE(cr.skills, '[]'), COALESCE(cr.priority, 0) FROM conversations c "
        + "LEFT JOIN conversation_routing cr ON cr.conversation_id = c.id "
        + "WHERE c.status IN ('queued', 'open') ORDER BY c.created_at, c.rowid;";

    private const string HoursOfTenant = "SELECT scope_id, tenant_id, schedule FROM business_hours WHERE tenant_id = $tenant ORDER BY scope_id;";

    public async Task<IReadOnlyList<BusinessHours>> ListBusinessHoursAsync(string tenantId, CancellationToken cancellationToken)
        => await reader.ListAsync(HoursOfTenant, p => p.AddWithValue("$tenant", tenantId), r => new BusinessHours(r.GetString(0), r.GetString(1), r.GetString(2)), cancellationToken);

    public Task<AgentRecord?> GetAgentAsync(string agentId, CancellationToken cancellationToken)
        => reader.SingleAsync(AgentById, p => p.AddWithValue("$id", agentId), RoutingRows.AgentRecord, cancellationToken);

    public async Task<IReadOnlyList<AgentRecord>> ListAgentsAsync(string tenantId, CancellationToken cancellationToken)
        => await reader.ListAsync(AgentsOfTenant, p => p.AddWithValue("$tenant", tenantId), RoutingRows.AgentRecord, cancellationToken);

    public async Task<IReadOnlyList<TeamProfile>> ListTeamsAsync(string tenantId, CancellationToken cancellationToken)
        => await reader.ListAsync(TeamsOfTenant, p => p.AddWithValue("$tenant", tenantId), RoutingRows.Team, cancellationToken);

    public async Task<IReadOnlyList<RoutableConversation>> ListRoutableAsync(CancellationToken cancellationToken)
        => await reader.ListAsync(Routable, _ => { }, MapRoutable, cancellationToken);

    private static RoutableConversation MapRoutable(SqliteDataReader r) =>
        new(Rows.Conversation(r), RoutingRows.Strings(r.GetString(11)), r.GetInt32(12));
}
