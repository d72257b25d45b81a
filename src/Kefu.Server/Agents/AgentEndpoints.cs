using Kefu.Server.Auth;

namespace Kefu.Server.Agents;

/// <summary>An agent's own status; it is kept across the agent's connections.</summary>
internal static class AgentEndpoints
{
    public static IEndpointRouteBuilder MapKefuAgents(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/agents/me").WithTags("Agents").RequireAuthorization(Policies.Agent);
        group.MapGet("/status", GetStatus);
        group.MapPut("/status", SetStatus).WithSummary("Sets the calling agent's status: online, away (takes no new conversations) or offline.");
        return app;
    }

    private static IResult GetStatus(HttpContext http, AgentPresence presence) =>
        Results.Ok(new AgentStatusRequest(presence.StatusOf(Caller.From(http.User).UserId)));

    private static IResult SetStatus(AgentStatusRequest request, HttpContext http, AgentPresence presence)
    {
        var caller = Caller.From(http.User);
        return request.Status is { } status && presence.SetStatus(caller.TenantId, caller.UserId, status)
            ? Results.NoContent()
            : Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "status is one of online, away, offline.");
    }
}
