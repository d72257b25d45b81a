using Kefu.Core.Storage;

namespace Kefu.Storage.Postgres.Writing;

/// <summary>Applies an agent's changes; disabling bumps its token version so its tokens stop working at once.</summary>
internal sealed class UpdateAgentOp(AgentChanges changes, CancellationToken cancellationToken) : WriteOp<AgentRecord?>(cancellationToken)
{
    private const string Update =
        "UPDATE agents SET display_name = COALESCE($2::text, display_name), max_concurrent = COALESCE($3::integer, max_concurrent), "
        + "skills = COALESCE($4::text, skills), disabled = COALESCE($5::boolean, disabled), token_version = token_version + $6::integer WHERE id = $1;";

    private const string ClearTeams = "DELETE FROM team_members WHERE agent_id = $1;";
    private const string TenantOf = "SELECT tenant_id FROM agents WHERE id = $1;";

    public override bool NeedsSavepoint => true;

    public override async Task ExecuteAsync(WriterSession session)
    {
        if (await session.ScalarAsync(TenantOf, changes.AgentId) is not string tenantId)
        {
            SetResult(null);
            return;
        }
        await session.ExecuteAsync(
            Update,
            changes.AgentId,
            changes.DisplayName,
            changes.MaxConcurrent,
            changes.Skills is null ? null : RoutingRows.Json(changes.Skills),
            changes.Disabled,
            changes.Disabled == true ? 1 : 0);
        if (changes.TeamIds is { } teams)
        {
            await session.ExecuteAsync(ClearTeams, changes.AgentId);
            foreach (var teamId in teams.Count > 0 ? teams : await CreateAgentOp.DefaultTeamOfAsync(session, tenantId))
            {
                await session.ExecuteAsync(CreateAgentOp.AddMember, teamId, changes.AgentId, tenantId);
            }
        }
        SetResult(await session.QuerySingleAsync(CreateAgentOp.ById, RoutingRows.AgentRecord, changes.AgentId));
    }
}
