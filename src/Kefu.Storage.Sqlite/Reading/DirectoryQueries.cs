using Kefu.Core.Storage;

namespace Kefu.Storage.Sqlite.Reading;

/// <summary>The directory reads: sites, teams, agents, visitors, settings.</summary>
internal sealed class DirectoryQueries(SqliteReader reader)
{
    private const string SiteByKey = "SELECT " + Rows.SiteColumns + " FROM sites WHERE site_key = $key;";
    private const string SiteById = "SELECT " + Rows.SiteColumns + " FROM sites WHERE id = $id;";
    private const string DefaultTeam =
        "SELECT id, tenant_id, name, is_default FROM teams WHERE tenant_id = $tenant AND is_default = 1 ORDER BY created_at, id LIMIT 1;";
    private const string AgentByUsername = "SELECT " + Rows.AgentColumns + " FROM agents WHERE username = $username;";
    private const string AgentById = "SELECT " + Rows.AgentColumns + " FROM agents WHERE id = $id;";
    private const string VisitorById = "SELECT " + Rows.VisitorColumns + " FROM visitors WHERE id = $id;";
    private const string VisitorByExternalId = "SELECT " + Rows.VisitorColumns + " FROM visitors WHERE site_id = $site AND external_id = $external;";
    private const string Setting = "SELECT value FROM settings WHERE key = $key;";

    public Task<Site?> FindSiteByKeyAsync(string siteKey, CancellationToken cancellationToken)
        => reader.SingleAsync(SiteByKey, p => p.AddWithValue("$key", siteKey), Rows.Site, cancellationToken);

    public Task<Site?> GetSiteAsync(string siteId, CancellationToken cancellationToken)
        => reader.SingleAsync(SiteById, p => p.AddWithValue("$id", siteId), Rows.Site, cancellationToken);

    public Task<Team?> GetDefaultTeamAsync(string tenantId, CancellationToken cancellationToken)
        => reader.SingleAsync(DefaultTeam, p => p.AddWithValue("$tenant", tenantId), Rows.Team, cancellationToken);

    public Task<Agent?> FindAgentByUsernameAsync(string username, CancellationToken cancellationToken)
        => reader.SingleAsync(AgentByUsername, p => p.AddWithValue("$username", username), Rows.Agent, cancellationToken);

    public Task<Agent?> GetAgentAsync(string agentId, CancellationToken cancellationToken)
        => reader.SingleAsync(AgentById, p => p.AddWithValue("$id", agentId), Rows.Agent, cancellationToken);

    public Task<Visitor?> GetVisitorAsync(string visitorId, CancellationToken cancellationToken)
        => reader.SingleAsync(VisitorById, p => p.AddWithValue("$id", visitorId), Rows.Visitor, cancellationToken);

    public Task<Visitor?> FindVisitorAsync(string siteId, string externalId, CancellationToken cancellationToken)
        => reader.SingleAsync(
            VisitorByExternalId,
            p =>
            {
                p.AddWithValue("$site", siteId);
                p.AddWithValue("$external", externalId);
            },
            Rows.Visitor,
            cancellationToken);

    public async Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken)
        => (string?)await reader.ScalarAsync(Setting, p => p.AddWithValue("$key", key), cancellationToken);

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
        => await reader.ScalarAsync("SELECT 1;", _ => { }, cancellationToken) is long one && one == 1;
}
