using Kefu.Core.Storage;

namespace Kefu.Storage.Sqlite.Writing;

/// <summary>Applies an agent's changes; disabling bumps its token version so its tokens stop working at once.</summary>
internal sealed class UpdateAgentOp(AgentChanges changes, CancellationToken cancellationToken) : WriteOp<AgentRecord?>(cancellationToken)
{
    private const string Update =
        "UPDATE agents SET display_name = COALESCE($2, display_name), max_concurrent = COALESCE($3, max_concurrent), "
        + "skills = COALESCE($4, skills), disabled = COALESCE($5, disabled), token_version = token_version + $6 WHERE id = $1;";

    private const string ClearTeams = "DELETE FROM team_members WHERE agent_id = $1;";
    private const string TenantOf = "SELECT tenant_id FROM agents WHERE id = $1;";

    public override bool NeedsSavepoint => true;

    public override void Execute(WriterSession session)
    {
        if (session.Scalar(TenantOf, changes.AgentId) is not string tenantId)
        {
            SetResult(null);
            return;
        }
        session.Execute(
            Update,
            changes.AgentId,
            changes.DisplayName,
            changes.MaxConcurrent,
            changes.Skills is null ? null : RoutingRows.Json(changes.Skills),
            changes.Disabled is { } disabled ? (disabled ? 1 : 0) : null,
            changes.Disabled == true ? 1 : 0);
        if (changes.TeamIds is { } teams)
        {
            session.Execute(ClearTeams, changes.AgentId);
            foreach (var teamId in teams.Count > 0 ? teams : CreateAgentOp.DefaultTeamOf(session, tenantId))
            {
                session.Execute(CreateAgentOp.AddMember, teamId, changes.AgentId, tenantId);
            }
        }
        SetResult(session.QuerySingle(CreateAgentOp.ById, RoutingRows.AgentRecord, changes.AgentId));
    }
}
