namespace Kefu.Storage.Postgres.Writing;

/// <summary>Names of the advisory locks that serialize checks across nodes.</summary>
internal static class LockKeys
{
    /// <summary>Held while counting an agent's load and giving it a conversation.</summary>
    public static string Agent(string agentId) => "agent:" + agentId;

    /// <summary>Held while checking and changing which of a visitor's conversations is not closed.</summary>
    public static string Visitor(string visitorId) => "visitor:" + visitorId;

    /// <summary>Held while creating the first tenant, site, team and admin.</summary>
    public const string Bootstrap = "bootstrap";

    /// <summary>Held while checking and saving a team name of a tenant.</summary>
    public static string TeamNames(string tenantId) => "team-names:" + tenantId;
}
