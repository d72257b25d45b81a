using Kefu.Core.Storage;
using Npgsql;

namespace Kefu.Storage.Postgres.Reading;

/// <summary>Agents with teams and skills, teams with settings, and the conversations routing rebuilds from.</summary>
internal sealed class RoutingQueries(PostgresReader reader)
{
    private const string AgentById = "SELECT " + RoutingRows.AgentProfileColumns + " FROM agents a WHERE a.id = $1;";
    private const string AgentsOfTenant =
        "SELECT " + RoutingRows.AgentProfileColumns + " FROM agents a WHERE a.tenant_id = $1 ORDER BY a.username COLLATE \"C\";";
    private const string TeamsOfTenant =
        "SELECT " + RoutingRows.TeamColumns + " FROM teams WHERE tenant_id = $1 ORDER BY is_default DESC, name COLLATE \"C\";";

    private const string Routable =
        "SELECT " + Rows.ConversationColumns + ", COALESCE(cr.skills, '[]'), COALESCE(cr.priority, 0) FROM conversations c "
        + "LEFT JOIN conversation_routing cr ON cr.conversation_id = c.id "
        + "WHERE c.status IN ('queued', 'open') ORDER BY c.created_at, c.ord;";

    private const string HoursOfTenant = "SELECT scope_id, tenant_id, schedule FROM business_hours WHERE tenant_id = $1 ORDER BY scope_id COLLATE \"C\";";

    public Task<AgentRecord?> GetAgentAsync(string agentId, CancellationToken cancellationToken)
        => reader.SingleAsync(AgentById, RoutingRows.AgentRecord, cancellationToken, agentId);

    public async Task<IReadOnlyList<AgentRecord>> ListAgentsAsync(string tenantId, CancellationToken cancellationToken)
        => await reader.ListAsync(AgentsOfTenant, RoutingRows.AgentRecord, cancellationToken, tenantId);

    public async Task<IReadOnlyList<TeamProfile>> ListTeamsAsync(string tenantId, CancellationToken cancellationToken)
        => await reader.ListAsync(TeamsOfTenant, RoutingRows.Team, cancellationToken, tenantId);

    public async Task<IReadOnlyList<RoutableConversation>> ListRoutableAsync(CancellationToken cancellationToken)
        => await reader.ListAsync(Routable, MapRoutable, cancellationToken);

    public async Task<IReadOnlyList<BusinessHours>> ListBusinessHoursAsync(string tenantId, CancellationToken cancellationToken)
        => await reader.ListAsync(HoursOfTenant, r => new BusinessHours(r.GetString(0), r.GetString(1), r.GetString(2)), cancellationToken, tenantId);

    private static RoutableConversation MapRoutable(NpgsqlDataReader r) =>
        new(Rows.Conversation(r), RoutingRows.Strings(r.GetString(11)), r.GetInt32(12));
}
