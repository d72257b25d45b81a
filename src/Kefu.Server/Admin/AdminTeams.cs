using Kefu.Core.Storage;
using Kefu.Server.Auth;
using Kefu.Server.Routing;

namespace Kefu.Server.Admin;

/// <summary>Admin REST for teams and their routing strategy; agents and conversations without a team use the default team.</summary>
internal static class AdminTeams
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/teams", ListAsync);
        group.MapPost("/teams", CreateAsync).WithSummary("Creates a team: name, strategy (least-busy | round-robin), skillTimeoutSeconds.");
        group.MapPut("/teams/{id}", UpdateAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext http, IDirectoryStore directory)
        => Results.Ok(await directory.ListTeamsAsync(Caller.From(http.User).TenantId, http.RequestAborted));

    private static Task<IResult> CreateAsync(TeamRequest request, HttpContext http, IDirectoryStore directory, RoutingSignals signals, TimeProvider time)
        => SaveAsync(null, request, http, directory, signals, time);

    private static Task<IResult> UpdateAsync(string id, TeamRequest request, HttpContext http, IDirectoryStore directory, RoutingSignals signals, TimeProvider time)
        => SaveAsync(id, request, http, directory, signals, time);

    private static async Task<IResult> SaveAsync(string? id, TeamRequest request, HttpContext http, IDirectoryStore directory, RoutingSignals signals, TimeProvider time)
    {
        var caller = Caller.From(http.User);
        var strategy = request.Strategy ?? "least-busy";
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100 || strategy is not ("least-busy" or "round-robin") || request.SkillTimeoutSeconds is < 0)
        {
            return AdminAgents.Problem(StatusCodes.Status400BadRequest, "name (1 to 100 characters) is required; strategy is least-busy or round-robin; skillTimeoutSeconds >= 0.");
        }
        var isDefault = false;
        if (id is not null)
        {
            var existing = (await directory.ListTeamsAsync(caller.TenantId, http.RequestAborted)).FirstOrDefault(t => t.Id == id);
            if (existing is null)
            {
                return AdminAgents.Problem(StatusCodes.Status404NotFound, "No such team.");
            }
            isDefault = existing.IsDefault;
        }
        var saved = await directory.SaveTeamAsync(
            new TeamProfile(id ?? AdminAgents.NewTeamId(time), caller.TenantId, request.Name.Trim(), isDefault, strategy, request.SkillTimeoutSeconds ?? 0),
            http.RequestAborted);
        if (saved is null)
        {
            return AdminAgents.Problem(StatusCodes.Status409Conflict, "Another team has this name.");
        }
        signals.TeamsChanged(caller.TenantId);
        return id is null ? Results.Created($"/api/v1/teams/{saved.Id}", saved) : Results.Ok(saved);
    }
}
