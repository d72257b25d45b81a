using Kefu.Core.Routing;
using Kefu.Core.Storage;
using Kefu.Server.Agents;
using Kefu.Server.Auth;
using Kefu.Server.Conversations;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Routing;

internal static class RoutingFeature
{
    private const int MaxSkills = 20;
    private const int MaxNameLength = 100;

    public static IServiceCollection AddKefuRouting(this IServiceCollection services)
    {
        services.AddOptions<RoutingOptions>().BindConfiguration(RoutingOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RoutingOptions>, RoutingOptionsValidator>();
        services.AddSingleton<RoutingSignals>();
        services.AddSingleton<IRoutingState, InMemoryRoutingState>();
        services.AddSingleton<RouterBook>();
        services.AddSingleton<QueueAnnouncer>();
        services.AddSingleton<AgentPresence>();
        services.AddSingleton<AvailableAgents>();
        services.AddKefuSharedState();
        services.AddSingleton<VisitorRouting>();
        services.AddSingleton<EntryPoint>();
        services.AddSingleton<RoutingActions>();
        services.AddSingleton<OpeningHours>();
        services.AddSingleton<IOfflineMessageListener, LoggingOfflineMessageListener>();
        services.AddHostedService<Router>();
        return services;
    }

    public static IEndpointRouteBuilder MapKefuRouting(this IEndpointRouteBuilder app)
    {
        app.MapPut("/api/v1/visitor/routing", SetVisitorRoutingAsync).WithTags("Routing").RequireAuthorization()
            .WithSummary("The visitor's entry point chooses the team (id or name) and skills of its next conversation.");
        PreChatEndpoints.Map(app);
        app.MapPost("/api/v1/visitor/messages", LeaveMessageAsync).WithTags("Routing").RequireAuthorization()
            .WithSummary("The leave-a-message form (name, contact, message): a queued conversation agents answer later.");
        var group = app.MapGroup("/api/v1/conversations").WithTags("Routing").RequireAuthorization(Policies.Agent);
        group.MapPost("/{id}/transfer", TransferAsync).WithSummary("Transfers to an agent (agentId) or a team (team), with a note in the history.");
        group.MapPost("/{id}/unassign", UnassignAsync).WithSummary("Puts the conversation back in its team's queue.");
        return app;
    }

    private static async Task<IResult> SetVisitorRoutingAsync(VisitorRoutingRequest request, HttpContext http, IDirectoryStore directory, VisitorRouting routing)
    {
        var caller = Caller.From(http.User);
        if (!caller.IsVisitor)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only visitors choose their routing.");
        }
        if (request.Team is { Length: > MaxNameLength } || request.Skills is { Count: > MaxSkills } || request.Skills?.Any(s => s is null || s.Length > MaxNameLength) == true)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"team and skills have at most {MaxNameLength} characters, and there are at most {MaxSkills} skills.");
        }
        string? teamId = null;
        if (!string.IsNullOrWhiteSpace(request.Team))
        {
            teamId = EntryPoint.Resolve(await directory.ListTeamsAsync(caller.TenantId, http.RequestAborted), request.Team)?.Id;
            if (teamId is null)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No such team.");
            }
        }
        var skills = request.Skills?.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList() ?? [];
        await routing.UpdateAsync(caller.UserId, e => e with { TeamId = teamId, Skills = skills }, http.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> LeaveMessageAsync(
        LeaveMessageRequest request, HttpContext http, ConversationService conversations, IEnumerable<IOfflineMessageListener> listeners)
    {
        var caller = Caller.From(http.User);
        if (!caller.IsVisitor)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only visitors leave messages.");
        }
        if (string.IsNullOrWhiteSpace(request.Name) || string.IsNullOrWhiteSpace(request.Contact) || string.IsNullOrWhiteSpace(request.Message)
            || request.Name.Length > MaxNameLength || request.Contact.Length > MaxNameLength * 2 || request.Message.Length > 4000)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "name, contact (at most 200 characters) and message (at most 4000) are required.");
        }
        var meta = new System.Text.Json.Nodes.JsonObject { ["leaveMessage"] = true, ["name"] = request.Name, ["contact"] = request.Contact }.ToJsonString();
        var sent = await conversations.SendAsync(
            caller, new SendCommand("leave-" + Guid.NewGuid().ToString("N"), null, null, Kefu.Core.Protocol.MessageKinds.Text, request.Message, null, meta), null, http.RequestAborted);
        if (!sent.Acked)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: sent.Error ?? "Not stored.");
        }
        var message = sent.Message!;
        foreach (var listener in listeners)
        {
            await listener.OnOfflineMessageAsync(new OfflineMessage(caller.TenantId, message.ConversationId, caller.UserId, request.Name, request.Contact), http.RequestAborted);
        }
        return Results.Created($"/api/v1/conversations/{message.ConversationId}", new { conversationId = message.ConversationId, seq = message.Seq });
    }

    private static async Task<IResult> TransferAsync(string id, TransferRequest request, HttpContext http, RoutingActions actions)
    {
        if (request.AgentId is null && request.Team is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "agentId or team is required.");
        }
        return ToResult(await actions.TransferAsync(Caller.From(http.User), id, request, http.RequestAborted));
    }

    private static async Task<IResult> UnassignAsync(string id, UnassignRequest? request, HttpContext http, RoutingActions actions)
        => ToResult(await actions.UnassignAsync(Caller.From(http.User), id, request?.Note, http.RequestAborted));

    private static IResult ToResult(RoutingActionResult result) => result switch
    {
        RoutingActionResult.Done => Results.NoContent(),
        RoutingActionResult.NotFound => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such conversation."),
        RoutingActionResult.Forbidden => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only the assigned agent or an admin may do this."),
        RoutingActionResult.BadRequest => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No such agent or team."),
        _ => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not possible now: the conversation is not open, or the agent is at capacity."),
    };
}
