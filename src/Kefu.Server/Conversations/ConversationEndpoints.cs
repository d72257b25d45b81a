using Kefu.Core.Storage;
using Kefu.Server.Auth;
using Kefu.Server.Routing;

namespace Kefu.Server.Conversations;

internal static class ConversationEndpoints
{
    public static IServiceCollection AddKefuConversations(this IServiceCollection services)
    {
        services.AddSingleton<ConversationService>();
        services.AddSingleton<SimpleAssigner>();
        services.AddSingleton<StoreChangePublisher>();
        services.AddSingleton<IStoreObserver>(sp => sp.GetRequiredService<StoreChangePublisher>());
        return services;
    }

    public static IEndpointRouteBuilder MapKefuConversations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/conversations").WithTags("Conversations").RequireAuthorization(Policies.Agent);
        group.MapPost("/{id}/close", CloseAsync);
        return app;
    }

    /// <summary>Closes a conversation: its assignee or an admin of its tenant. 204; 404 for anyone else.</summary>
    private static async Task<IResult> CloseAsync(string id, HttpContext http, ConversationService conversations)
    {
        var caller = Caller.From(http.User);
        var result = await conversations.CloseAsync(caller, id, http.RequestAborted);
        return result switch
        {
            null => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such conversation."),
            { Outcome: CloseOutcome.NotFound } => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only the assigned agent or an admin may close it."),
            _ => Results.NoContent(),
        };
    }
}
