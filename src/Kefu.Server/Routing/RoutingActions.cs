using Kefu.Core.Protocol;
using Kefu.Core.Storage;
using Kefu.Server.Auth;

namespace Kefu.Server.Routing;

/// <summary>Transfer (to an agent or a team, with a note) and unassign (back to the queue): by the assignee or an admin.</summary>
internal sealed class RoutingActions(IConversationStore store, IDirectoryStore directory)
{
    public async Task<RoutingActionResult> TransferAsync(Caller caller, string conversationId, TransferRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (conversation, denied) = await CheckAsync(caller, conversationId, cancellationToken);
        if (conversation is null)
        {
            return denied;
        }
        var by = new RoutingActor(caller.UserId, SenderTypes.Agent, caller.Name, request.Note);
        if (request.AgentId is { } agentId)
        {
            var agent = await directory.GetAgentAsync(agentId, cancellationToken);
            if (agent is null || agent.TenantId != caller.TenantId || agent.Disabled)
            {
                return RoutingActionResult.BadRequest;
            }
            var moved = await store.TransferAsync(conversation.Id, new AgentCandidate(agent.Id, agent.DisplayName, agent.MaxConcurrent), by, cancellationToken);
            return moved is null ? RoutingActionResult.Conflict : RoutingActionResult.Done;
        }
        var team = EntryPoint.Resolve(await directory.ListTeamsAsync(caller.TenantId, cancellationToken), request.Team);
        if (team is null)
        {
            return RoutingActionResult.BadRequest;
        }
        var requeued = await store.RequeueAsync(conversation.Id, team.Id, conversation.AssigneeId, by, cancellationToken);
        return requeued is null ? RoutingActionResult.Conflict : RoutingActionResult.Done;
    }

    public async Task<RoutingActionResult> UnassignAsync(Caller caller, string conversationId, string? note, CancellationToken cancellationToken)
    {
        var (conversation, denied) = await CheckAsync(caller, conversationId, cancellationToken);
        if (conversation is null)
        {
            return denied;
        }
        var requeued = await store.RequeueAsync(conversation.Id, null, conversation.AssigneeId, new RoutingActor(caller.UserId, SenderTypes.Agent, caller.Name, note), cancellationToken);
        return requeued is null ? RoutingActionResult.Conflict : RoutingActionResult.Done;
    }

    /// <summary>
    /// The conversation when the caller may act on it. Its assignee then goes to the store's write as the expected
    /// one, so a transfer committed after this check (which may have made the caller no longer its assignee) stands.
    /// </summary>
    private async Task<(Conversation? Conversation, RoutingActionResult Denied)> CheckAsync(Caller caller, string conversationId, CancellationToken cancellationToken)
    {
        var conversation = await store.GetConversationAsync(conversationId, cancellationToken);
        if (conversation is null || conversation.TenantId != caller.TenantId || !caller.IsAgent)
        {
            return (null, RoutingActionResult.NotFound);
        }
        if (conversation.AssigneeId != caller.UserId && !caller.IsAdmin)
        {
            return (null, RoutingActionResult.Forbidden);
        }
        return (conversation, RoutingActionResult.Done);
    }
}
