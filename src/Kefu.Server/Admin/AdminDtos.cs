using Kefu.Core.Storage;

namespace Kefu.Server.Admin;

/// <summary><see cref="Teams"/> are team ids or names; without them the agent joins the default team.</summary>
internal sealed record CreateAgentRequest(
    string? Username,
    string? Password,
    string? DisplayName,
    int? MaxConcurrent,
    IReadOnlyList<string>? Teams,
    IReadOnlyList<string>? Skills,
    bool? IsAdmin);

/// <summary>Null fields stay as they are; <c>disabled: true</c> revokes the agent's tokens and closes its sockets.</summary>
internal sealed record UpdateAgentRequest(string? DisplayName, int? MaxConcurrent, IReadOnlyList<string>? Teams, IReadOnlyList<string>? Skills, bool? Disabled);

internal sealed record AgentDto(
    string Id,
    string Username,
    string DisplayName,
    bool IsAdmin,
    int MaxConcurrent,
    bool Disabled,
    IReadOnlyList<string> Teams,
    IReadOnlyList<string> Skills,
    string Status)
{
    public static AgentDto From(AgentRecord record, string status)
    {
        ArgumentNullException.ThrowIfNull(record);
        var a = record.Agent;
        return new AgentDto(a.Id, a.Username, a.DisplayName, a.IsAdmin, a.MaxConcurrent, a.Disabled, record.TeamIds, record.Skills, status);
    }
}

/// <summary><see cref="Strategy"/>: <c>least-busy</c> (default) or <c>round-robin</c>; <see cref="SkillTimeoutSeconds"/>: 0 keeps skills required.</summary>
internal sealed record TeamRequest(string? Name, string? Strategy, int? SkillTimeoutSeconds);
