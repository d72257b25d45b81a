namespace Kefu.Storage.Postgres.Reading;

/// <summary>The directory reads: sites, teams, agents, visitors, settings.</summary>
internal sealed class DirectoryQueries(PostgresReader reader)
{
    private const string SiteByKey = "SELECT " + Rows.SiteColumns + " FROM sites WHERE site_key = $1;";
    private const string SiteById = "SELECT " + Rows.SiteColumns + " FROM sites WHERE id = $1;";
    private const string DefaultTeam =
        "SELECT id, tenant_id, name, is_default FROM teams WHERE tenant_id = $1 AND is_default ORDER BY created_at, id LIMIT 1;";
    private const string AgentByUsername = "SELECT " + Rows.AgentColumns + " FROM agents WHERE username = $1;";
    private const string AgentById = "SELECT " + Rows.AgentColumns + " FROM agents WHERE id = $1;";
    private const string VisitorById = "SELECT " + Rows.VisitorColumns + " FROM visitors WHERE id = $1;";
    private const string VisitorByExternalId = "SELECT " + Rows.VisitorColumns + " FROM visitors WHERE site_id = $1 AND external_id = $2;";
    private const string Setting = "SELECT value FROM settings WHERE key = $1;";

    public Task<Kefu.Core.Storage.Site?> FindSiteByKeyAsync(string siteKey, CancellationToken cancellationToken)
        => reader.SingleAsync(SiteByKey, Rows.Site, cancellationToken, siteKey);

    public Task<Kefu.Core.Storage.Site?> GetSiteAsync(string siteId, CancellationToken cancellationToken)
        => reader.SingleAsync(SiteById, Rows.Site, cancellationToken, siteId);

    public Task<Kefu.Core.Storage.Team?> GetDefaultTeamAsync(string tenantId, CancellationToken cancellationToken)
        => reader.SingleAsync(DefaultTeam, Rows.Team, cancellationToken, tenantId);

    public Task<Kefu.Core.Storage.Agent?> FindAgentByUsernameAsync(string username, CancellationToken cancellationToken)
        => reader.SingleAsync(AgentByUsername, Rows.Agent, cancellationToken, username);

    public Task<Kefu.Core.Storage.Agent?> GetAgentAsync(string agentId, CancellationToken cancellationToken)
        => reader.SingleAsync(AgentById, Rows.Agent, cancellationToken, agentId);

    public Task<Kefu.Core.Storage.Visitor?> GetVisitorAsync(string visitorId, CancellationToken cancellationToken)
        => reader.SingleAsync(VisitorById, Rows.Visitor, cancellationToken, visitorId);

    public Task<Kefu.Core.Storage.Visitor?> FindVisitorAsync(string siteId, string externalId, CancellationToken cancellationToken)
        => reader.SingleAsync(VisitorByExternalId, Rows.Visitor, cancellationToken, siteId, externalId);

    public async Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken)
        => (string?)await reader.ScalarAsync(Setting, cancellationToken, key);

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
        => await reader.ScalarAsync("SELECT 1;", cancellationToken) is int one && one == 1;
}
