using Kefu.Core.Ids;
using Kefu.Core.Protocol;
using Kefu.Core.Storage;
using Kefu.Server.Agents;
using Kefu.Server.Auth;
using Kefu.Server.Realtime;
using Kefu.Server.Routing;
using Microsoft.AspNetCore.Identity;

namespace Kefu.Server.Admin;

/// <summary>Admin REST for agents: create, list, update, disable. Routing hears of every change.</summary>
internal static class AdminAgents
{
    private const int MaxField = 200;

    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/agents", CreateAsync).WithSummary("Creates an agent: username, password, displayName, maxConcurrent, optional teams (ids or names), skills, isAdmin.");
        group.MapGet("/agents", ListAsync);
        group.MapPatch("/agents/{id}", UpdateAsync).WithSummary("Updates an agent; disabled: true revokes its tokens and closes its sockets.");
        group.MapPost("/agents/{id}/disable", (string id, HttpContext http, IDirectoryStore d, AgentPresence p, RoutingSignals s, ConnectionRegistry r, TimeProvider t) =>
            UpdateAsync(id, new UpdateAgentRequest(null, null, null, null, true), http, d, p, s, r, t));
    }

    private static async Task<IResult> CreateAsync(
        CreateAgentRequest request, HttpContext http, IDirectoryStore directory, IPasswordHasher<Agent> hasher, AgentPresence presence, RoutingSignals signals)
    {
        var caller = Caller.From(http.User);
        if (string.IsNullOrWhiteSpace(request.Username) || request.Username.Length > MaxField
            || string.IsNullOrEmpty(request.Password) || request.Password.Length < 8 || request.Password.Length > 1024
            || request.DisplayName is { Length: > MaxField } || request.MaxConcurrent is < 1 or > 10_000)
        {
            return Problem(StatusCodes.Status400BadRequest, "username (at most 200 characters), password (8 or more) are required; maxConcurrent is 1 to 10000.");
        }
        var teams = await ResolveTeamsAsync(directory, caller.TenantId, request.Teams, http.RequestAborted);
        if (teams is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "Unknown team.");
        }
        var created = await directory.CreateAgentAsync(
            new NewAgent(caller.TenantId, request.Username.Trim(), hasher.HashPassword(null!, request.Password), request.DisplayName ?? request.Username.Trim(),
                request.MaxConcurrent ?? 5, request.IsAdmin ?? false, teams, Skills(request.Skills)),
            http.RequestAborted);
        if (created is null)
        {
            return Problem(StatusCodes.Status409Conflict, "The username is taken.");
        }
        signals.AgentChanged(created.Agent.Id);
        return Results.Created($"/api/v1/agents/{created.Agent.Id}", AgentDto.From(created, presence.StatusOf(created.Agent.Id)));
    }

    private static async Task<IResult> ListAsync(HttpContext http, IDirectoryStore directory, AgentPresence presence)
    {
        var agents = await directory.ListAgentsAsync(Caller.From(http.User).TenantId, http.RequestAborted);
        return Results.Ok(agents.Select(a => AgentDto.From(a, presence.StatusOf(a.Agent.Id))).ToList());
    }

    private static async Task<IResult> UpdateAsync(
        string id, UpdateAgentRequest request, HttpContext http, IDirectoryStore directory, AgentPresence presence, RoutingSignals signals, ConnectionRegistry registry, TimeProvider time)
    {
        var caller = Caller.From(http.User);
        var existing = await directory.GetAgentAsync(id, http.RequestAborted);
        if (existing is null || existing.TenantId != caller.TenantId)
        {
            return Problem(StatusCodes.Status404NotFound, "No such agent.");
        }
        if (request.DisplayName is { Length: 0 or > MaxField } || request.MaxConcurrent is < 1 or > 10_000)
        {
            return Problem(StatusCodes.Status400BadRequest, "displayName has 1 to 200 characters; maxConcurrent is 1 to 10000.");
        }
        if (request.Disabled == true && id == caller.UserId)
        {
            return Problem(StatusCodes.Status400BadRequest, "An admin cannot disable itself.");
        }
        IReadOnlyList<string>? teams = null;
        if (request.Teams is not null && (teams = await ResolveTeamsAsync(directory, caller.TenantId, request.Teams, http.RequestAborted)) is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "Unknown team.");
        }
        var updated = await directory.UpdateAgentAsync(
            new AgentChanges(id, request.DisplayName, request.MaxConcurrent, teams, request.Skills is null ? null : Skills(request.Skills), request.Disabled),
            http.RequestAborted);
        if (updated is null)
        {
            return Problem(StatusCodes.Status404NotFound, "No such agent.");
        }
        if (request.Disabled == true)
        {
            var now = time.GetTimestampMs();
            foreach (var connection in registry.OfUser(id))
            {
                connection.RequestClose(CloseCodes.BadToken, "Agent disabled.", now);
            }
        }
        signals.AgentChanged(id);
        return Results.Ok(AgentDto.From(updated, presence.StatusOf(id)));
    }

    /// <summary>Team ids of the references (ids or names); null when one is unknown; null input stays null (the default team).</summary>
    internal static async Task<IReadOnlyList<string>?> ResolveTeamsAsync(IDirectoryStore directory, string tenantId, IReadOnlyList<string>? references, CancellationToken cancellationToken)
    {
        if (references is null)
        {
            return [];
        }
        var teams = await directory.ListTeamsAsync(tenantId, cancellationToken);
        var ids = new List<string>(references.Count);
        foreach (var reference in references)
        {
            if (EntryPoint.Resolve(teams, reference) is not { } team)
            {
                return null;
            }
            ids.Add(team.Id);
        }
        return ids;
    }

    private static List<string> Skills(IReadOnlyList<string>? skills) =>
        skills is null ? [] : [.. skills.Where(s => !string.IsNullOrWhiteSpace(s) && s.Length <= MaxField).Select(s => s.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)];

    internal static IResult Problem(int status, string title) => Results.Problem(statusCode: status, title: title);

    internal static string NewTeamId(TimeProvider time) => IdGenerator.New("team", time.GetUtcNow());
}
