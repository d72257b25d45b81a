using Kefu.Core.Storage;
using Kefu.Server.Auth;

namespace Kefu.Server.Conversations;

internal static class ConversationEndpoints
{
    private const int ListLimit = 200;

    public static IServiceCollection AddKefuConversations(this IServiceCollection services)
    {
        services.AddSingleton<ConversationService>();
        services.AddOptions<LifecycleOptions>().BindConfiguration(LifecycleOptions.Section);
        services.AddSingleton<ActivityTracker>();
        services.AddHostedService<InactivitySweeper>();
        services.AddSingleton<StoreChangePublisher>();
        services.AddSingleton<IStoreObserver>(sp => sp.GetRequiredService<StoreChangePublisher>());
        return services;
    }

    public static IEndpointRouteBuilder MapKefuConversations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/conversations").WithTags("Conversations").RequireAuthorization(Policies.Agent);
        group.MapGet("/", ListAsync).WithSummary("Conversations of the agent's tenant: view=queued|mine|open|closed (default open).");
        group.MapGet("/{id}", GetAsync);
        group.MapPost("/{id}/claim", ClaimAsync).WithSummary("Takes a queued conversation (409 when taken or at capacity).");
        group.MapPost("/{id}/close", CloseAsync).WithSummary("Closes a conversation: its assignee or a tenant admin.");
        group.MapPost("/{id}/reopen", ReopenAsync).WithSummary("Reopens a closed conversation for the calling agent.");
        return app;
    }

    private static async Task<IResult> ListAsync(string? view, HttpContext http, IConversationStore store)
    {
        if (!Enum.TryParse<ConversationListView>(view ?? "open", ignoreCase: true, out var parsed) || int.TryParse(view, out _))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "view is one of queued, mine, open, closed.");
        }
        var caller = Caller.From(http.User);
        var items = await store.ListForConsoleAsync(caller.TenantId, caller.UserId, parsed, ListLimit, http.RequestAborted);
        return Results.Ok(items.Select(ConversationItem.From).ToList());
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, ConversationService conversations)
    {
        var item = await conversations.GetItemAsync(Caller.From(http.User), id, http.RequestAborted);
        return item is null ? NotFound() : Results.Ok(item);
    }

    private static async Task<IResult> ClaimAsync(string id, HttpContext http, ConversationService conversations)
    {
        var caller = Caller.From(http.User);
        var outcome = await conversations.ClaimAsync(caller, id, http.RequestAborted);
        return outcome switch
        {
            null => NotFound(),
            false => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already taken, or you are at capacity."),
            true => Results.Ok(await conversations.GetItemAsync(caller, id, http.RequestAborted)),
        };
    }

    private static async Task<IResult> CloseAsync(string id, HttpContext http, ConversationService conversations)
    {
        var result = await conversations.CloseAsync(Caller.From(http.User), id, http.RequestAborted);
        return result switch
        {
            null => NotFound(),
            { Outcome: CloseOutcome.NotFound } => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only the assigned agent or an admin may close it."),
            _ => Results.NoContent(),
        };
    }

    private static async Task<IResult> ReopenAsync(string id, HttpContext http, ConversationService conversations)
    {
        var caller = Caller.From(http.User);
        var outcome = await conversations.ReopenAsync(caller, id, http.RequestAborted);
        return outcome switch
        {
            null => NotFound(),
            false => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not closed, or the visitor already has an open conversation."),
            true => Results.Ok(await conversations.GetItemAsync(caller, id, http.RequestAborted)),
        };
    }

    private static IResult NotFound() => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such conversation.");
}
