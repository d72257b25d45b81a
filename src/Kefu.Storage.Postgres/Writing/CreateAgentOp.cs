using Kefu.Core.Ids;
using Kefu.Core.Storage;

namespace Kefu.Storage.Postgres.Writing;

/// <summary>Creates an agent with its skills and teams (the default team when none is given); null when the username is taken.</summary>
internal sealed class CreateAgentOp(NewAgent agent, CancellationToken cancellationToken) : WriteOp<AgentRecord?>(cancellationToken)
{
    private const string Insert =
        "INSERT INTO agents (id, tenant_id, username, display_name, password_hash, is_admin, max_concurrent, disabled, token_version, must_change_password, created_at, skills) "
        + "VALUES ($1, $2, $3, $4, $5, $6, $7, false, 0, false, $8, $9) ON CONFLICT (username) DO NOTHING;";

    internal const string DefaultTeam = "SELECT id FROM teams WHERE tenant_id = $1 AND is_default ORDER BY created_at, id LIMIT 1;";

    // Only teams of the agent's tenant: an id of another tenant adds nothing.
    internal const string AddMember =
        "INSERT INTO team_members (team_id, agent_id) SELECT id, $2 FROM teams WHERE id = $1 AND tenant_id = $3 ON CONFLICT DO NOTHING;";

    internal const string ById = "SELECT " + RoutingRows.AgentProfileColumns + " FROM agents a WHERE a.id = $1;";

    public override bool NeedsSavepoint => true;

    public override async Task ExecuteAsync(WriterSession session)
    {
        var now = session.Now();
        var id = IdGenerator.New("a", now);
        var inserted = await session.ExecuteAsync(
            Insert,
            id,
            agent.TenantId,
            agent.Username,
            agent.DisplayName,
            agent.PasswordHash,
            agent.IsAdmin,
            agent.MaxConcurrent,
            Rows.Millis(now),
            RoutingRows.Json(agent.Skills)) == 1;
        if (!inserted)
        {
            SetResult(null);
            return;
        }
        var teams = agent.TeamIds is { Count: > 0 } given ? given : await DefaultTeamOfAsync(session, agent.TenantId);
        foreach (var teamId in teams)
        {
            await session.ExecuteAsync(AddMember, teamId, id, agent.TenantId);
        }
        SetResult(await session.QuerySingleAsync(ById, RoutingRows.AgentRecord, id));
    }

    internal static async Task<IReadOnlyList<string>> DefaultTeamOfAsync(WriterSession session, string tenantId)
        => await session.ScalarAsync(DefaultTeam, tenantId) is string teamId ? [teamId] : [];
}
