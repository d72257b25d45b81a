using System.Text.Json;
using Kefu.Core.Storage;
using Kefu.Server.Auth;
using Kefu.Server.Routing;

namespace Kefu.Server.Visitors;

internal sealed record VisitorConversation(string ConversationId, string Status, DateTimeOffset CreatedAt);

/// <summary>
/// The console's visitor panel: who the visitor is, where it is, its past conversations, and what its entry
/// point chose (team, skills, and the pre-chat form's name and contact).
/// </summary>
internal sealed record VisitorDetails(
    string Id,
    string? Name,
    string? Email,
    string? ExternalId,
    JsonElement? Context,
    DateTimeOffset FirstSeen,
    IReadOnlyList<VisitorConversation> Conversations,
    VisitorEntry? Entry)
{
    public static async Task<IResult> GetAsync(string id, HttpContext http, IDirectoryStore directory, IConversationStore store, VisitorRouting routing)
    {
        var caller = Caller.From(http.User);
        var visitor = await directory.GetVisitorAsync(id, http.RequestAborted);
        if (visitor is null || visitor.TenantId != caller.TenantId)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such visitor.");
        }
        var conversations = await store.ListForVisitorAsync(visitor.Id, 50, http.RequestAborted);
        JsonElement? context = visitor.ContextJson is null ? null : VisitorContext.Parse(visitor.ContextJson);
        return Results.Ok(new VisitorDetails(visitor.Id, visitor.Name, visitor.Email, visitor.ExternalId, context, visitor.CreatedAt,
            conversations.Select(c => new VisitorConversation(c.Id, c.Status, c.CreatedAt)).ToList(),
            await routing.GetAsync(visitor.Id, http.RequestAborted)));
    }
}
