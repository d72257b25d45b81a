namespace Kefu.Core.Storage;

/// <summary>A team with its routing settings. <see cref="Strategy"/> is <c>least-busy</c> or <c>round-robin</c>;
/// <see cref="SkillTimeoutSeconds"/> (0: never) ends a conversation's skill requirements after that long in the queue.</summary>
public sealed record TeamProfile(string Id, string TenantId, string Name, bool IsDefault, string Strategy, int SkillTimeoutSeconds);

/// <summary>An agent with its team memberships and skills.</summary>
public sealed record AgentRecord(Agent Agent, IReadOnlyList<string> TeamIds, IReadOnlyList<string> Skills);

/// <summary>An agent to create; without <see cref="TeamIds"/> it joins the tenant's default team.</summary>
public sealed record NewAgent(
    string TenantId,
    string Username,
    string PasswordHash,
    string DisplayName,
    int MaxConcurrent,
    bool IsAdmin,
    IReadOnlyList<string>? TeamIds,
    IReadOnlyList<string> Skills);

/// <summary>Changes to an agent; null fields stay as they are. Disabling bumps the token version, revoking its tokens.</summary>
public sealed record AgentChanges(
    string AgentId,
    string? DisplayName = null,
    int? MaxConcurrent = null,
    IReadOnlyList<string>? TeamIds = null,
    IReadOnlyList<string>? Skills = null,
    bool? Disabled = null);

/// <summary>A conversation that is queued or open, with what routing needs to queue it again.</summary>
public sealed record RoutableConversation(Conversation Conversation, IReadOnlyList<string> Skills, int Priority);

/// <summary>Who moves a conversation (an agent, an admin or the system) and why.</summary>
public sealed record RoutingActor(string Id, string Type, string? Name, string? Note);

/// <summary>The business hours of a team or a site (<see cref="ScopeId"/> is its id); <see cref="ScheduleJson"/> is
/// <c>{ "timeZone", "weekly": { "mon": [["09:00","18:00"]], … }, "holidays": ["2026-10-01", …] }</c>.</summary>
public sealed record BusinessHours(string ScopeId, string TenantId, string ScheduleJson);
