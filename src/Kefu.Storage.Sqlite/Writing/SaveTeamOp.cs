using Kefu.Core.Storage;

namespace Kefu.Storage.Sqlite.Writing;

/// <summary>Creates or updates a team of a tenant; null when another team of the tenant has the name.</summary>
internal sealed class SaveTeamOp(TeamProfile team, CancellationToken cancellationToken) : WriteOp<TeamProfile?>(cancellationToken)
{
    private const string NameTaken = "SELECT COUNT(*) FROM teams WHERE tenant_id = $1 AND name = $2 AND id <> $3;";

    private const string Upsert =
        "INSERT INTO teams (id, tenant_id, name, is_default, created_at, strategy, skill_timeout_seconds) VALUES ($1, $2, $3, 0, $4, $5, $6) "
        + "ON CONFLICT (id) DO UPDATE SET name = excluded.name, strategy = excluded.strategy, skill_timeout_seconds = excluded.skill_timeout_seconds "
        + "WHERE teams.tenant_id = excluded.tenant_id;";

    private const string Select = "SELECT " + RoutingRows.TeamColumns + " FROM teams WHERE id = $1 AND tenant_id = $2;";

    public override bool NeedsSavepoint => false;

    public override void Execute(WriterSession session)
    {
        if ((long)session.Scalar(NameTaken, team.TenantId, team.Name, team.Id)! > 0)
        {
            SetResult(null);
            return;
        }
        session.Execute(Upsert, team.Id, team.TenantId, team.Name, Rows.Millis(session.Now()), team.Strategy, team.SkillTimeoutSeconds);
        SetResult(session.QuerySingle(Select, RoutingRows.Team, team.Id, team.TenantId));
    }
}
