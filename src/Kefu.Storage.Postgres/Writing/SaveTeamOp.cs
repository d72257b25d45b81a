using Kefu.Core.Storage;

namespace Kefu.Storage.Postgres.Writing;

/// <summary>Creates or updates a team of a tenant; null when another team of the tenant has the name (checked under the tenant's team-name lock).</summary>
internal sealed class SaveTeamOp(TeamProfile team, CancellationToken cancellationToken) : WriteOp<TeamProfile?>(cancellationToken)
{
    private const string NameTaken = "SELECT COUNT(*) FROM teams WHERE tenant_id = $1 AND name = $2 AND id <> $3;";

    private const string Upsert =
        "INSERT INTO teams (id, tenant_id, name, is_default, created_at, strategy, skill_timeout_seconds) VALUES ($1, $2, $3, false, $4, $5, $6) "
        + "ON CONFLICT (id) DO UPDATE SET name = excluded.name, strategy = excluded.strategy, skill_timeout_seconds = excluded.skill_timeout_seconds "
        + "WHERE teams.tenant_id = excluded.tenant_id;";

    private const string Select = "SELECT " + RoutingRows.TeamColumns + " FROM teams WHERE id = $1 AND tenant_id = $2;";

    public override bool NeedsSavepoint => true;

    public override void AddLockKeys(List<string> keys, WriterSession session) => keys.Add(LockKeys.TeamNames(team.TenantId));

    public override async Task ExecuteAsync(WriterSession session)
    {
        if ((long)(await session.ScalarAsync(NameTaken, team.TenantId, team.Name, team.Id))! > 0)
        {
            SetResult(null);
            return;
        }
        await session.ExecuteAsync(Upsert, team.Id, team.TenantId, team.Name, Rows.Millis(session.Now()), team.Strategy, team.SkillTimeoutSeconds);
        SetResult(await session.QuerySingleAsync(Select, RoutingRows.Team, team.Id, team.TenantId));
    }
}
