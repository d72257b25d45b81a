namespace Kefu.Core.Storage;

/// <summary>Tenants, sites, teams, agents, visitors and settings.</summary>
public interface IDirectoryStore
{
    /// <summary>Creates or migrates the schema. Safe to call from several nodes at once.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    Task<bool> PingAsync(CancellationToken cancellationToken);

    /// <summary>Returns the stored value for <paramref name="key"/>, storing <paramref name="valueIfAbsent"/> first if there is none.</summary>
    Task<string> GetOrAddSettingAsync(string key, string valueIfAbsent, CancellationToken cancellationToken);

    /// <summary>The stored value for <paramref name="key"/>, or null.</summary>
    Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="value"/> for <paramref name="key"/>, replacing any value (last writer wins).</summary>
    Task SetSettingAsync(string key, string value, CancellationToken cancellationToken);

    Task<BootstrapResult> BootstrapAsync(BootstrapRequest request, CancellationToken cancellationToken);

    Task<Site?> FindSiteByKeyAsync(string siteKey, CancellationToken cancellationToken);

    Task<Site?> GetSiteAsync(string siteId, CancellationToken cancellationToken);

    Task<Team?> GetDefaultTeamAsync(string tenantId, CancellationToken cancellationToken);

    Task<Agent?> FindAgentByUsernameAsync(string username, CancellationToken cancellationToken);

    Task<Agent?> GetAgentAsync(string agentId, CancellationToken cancellationToken);

    Task<Visitor?> GetVisitorAsync(string visitorId, CancellationToken cancellationToken);

    /// <summary>With an external id, returns the site's visitor of that id (creating it once); without, creates a new visitor.</summary>
    Task<Visitor> GetOrCreateVisitorAsync(VisitorRegistration registration, DateTimeOffset now, CancellationToken cancellationToken);

    Task UpdateVisitorContextAsync(string visitorId, string? contextJson, CancellationToken cancellationToken);

    /// <summary>Sets the name a visitor gave (a pre-chat form), unless its verified identity named it; false for no such visitor.</summary>
    Task<bool> NameVisitorAsync(string visitorId, string name, CancellationToken cancellationToken);

    /// <summary>Creates an agent; null when the username is taken.</summary>
    Task<AgentRecord?> CreateAgentAsync(NewAgent agent, CancellationToken cancellationToken);

    /// <summary>Applies the changes; null when there is no such agent.</summary>
    Task<AgentRecord?> UpdateAgentAsync(AgentChanges changes, CancellationToken cancellationToken);

    Task<AgentRecord?> GetAgentProfileAsync(string agentId, CancellationToken cancellationToken);

    Task<IReadOnlyList<AgentRecord>> ListAgentsAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Creates the team (a new id) or updates it (an existing id of the tenant); null when another team has the name.</summary>
    Task<TeamProfile?> SaveTeamAsync(TeamProfile team, CancellationToken cancellationToken);

    Task<IReadOnlyList<TeamProfile>> ListTeamsAsync(string tenantId, CancellationToken cancellationToken);
}
