using Kefu.Core.Protocol;
using Kefu.Core.Storage;
using Kefu.Server.Auth;
using Kefu.Server.Bots;
using Kefu.Server.Routing;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Conversations;

/// <summary>
/// The rules of who may see and write which conversation, and the send path: a visitor's first send starts
/// its conversation, every send is appended durably (the store acks after commit), and a started
/// conversation is handed to assignment (or to the bot, per the site's bot mode) without making the sender wait.
/// </summary>
internal sealed class ConversationService(
    IConversationStore store, IDirectoryStore directory, EntryPoint entry, RoutingSignals routing, IOptions<LifecycleOptions> lifecycle, TimeProvider time,
    BotEntry botEntry, BotFlow botFlow, StoreChangePublisher publisher)
{
    /// <summary>The conversation if the caller may see it; null otherwise (the caller answers not_found).</summary>
    public async Task<Conversation?> GetVisibleAsync(Caller caller, string conversationId, CancellationToken cancellationToken)
    {
        var conversation = await store.GetConversationAsync(conversationId, cancellationToken);
        return conversation is not null && CanSee(caller, conversation) ? conversation : null;
    }

    public static bool CanSee(Caller caller, Conversation conversation) =>
        ConversationAccess.CanSee(conversation, caller.TenantId, caller.UserId, caller.SiteId, caller.IsAgent);

    public static bool CanWrite(Caller caller, Conversation conversation) =>
        ConversationAccess.CanWrite(conversation, caller.TenantId, caller.UserId, caller.SiteId, caller.IsAgent, caller.IsAdmin);

    /// <param name="knownConversationId">The visitor's open conversation, used when the send names none.</param>
    public async Task<SendResult> SendAsync(Caller caller, SendCommand command, string? knownConversationId, CancellationToken cancellationToken)
    {
        // Who may write is checked by the store inside the append (AppendGuard): no read before a send.
        var conversationId = command.ConversationId;
        if (conversationId is null && caller.IsAgent)
        {
            return new SendResult(SendStatus.Invalid, Error: "conversationId is required.");
        }
        var startedHere = false;
        if (conversationId is null)
        {
            conversationId = knownConversationId;
            if (conversationId is null)
            {
                (conversationId, startedHere) = await StartAsync(caller, command.ClientConvId, cancellationToken);
            }
        }
        var result = await AppendAsync(caller, conversationId, command, cancellationToken);
        if (result.Outcome is AppendOutcome.Closed or AppendOutcome.NotFound && command.ConversationId is null && !startedHere)
        {
            // The remembered conversation was closed meanwhile: the visitor's next message starts a new one.
            (conversationId, _) = await StartAsync(caller, command.ClientConvId, cancellationToken);
            result = await AppendAsync(caller, conversationId, command, cancellationToken);
        }
        if (result.Outcome == AppendOutcome.Appended)
        {
            // Answered once, by this node (it committed the message), after the ack.
            botFlow.Sent(caller, result.Message!);
        }
        else if (result.Outcome == AppendOutcome.Duplicate && await store.GetConversationAsync(result.Message!.ConversationId, cancellationToken) is { } conversation)
        {
            publisher.AnnounceAgain(conversation, result.Message);
        }
        return result.Outcome switch
        {
            AppendOutcome.Appended => new SendResult(SendStatus.Stored, result.Message),
            AppendOutcome.Duplicate => new SendResult(SendStatus.Duplicate, result.Message),
            AppendOutcome.Closed => new SendResult(SendStatus.Closed, Error: "The conversation is closed."),
            AppendOutcome.Forbidden => new SendResult(SendStatus.Forbidden, Error: "Only the assigned agent or an admin may write here."),
            _ => new SendResult(SendStatus.NotFound, Error: "No such conversation."),
        };
    }

    public async Task<CloseResult?> CloseAsync(Caller caller, string conversationId, CancellationToken cancellationToken)
    {
        var conversation = await GetVisibleAsync(caller, conversationId, cancellationToken);
        if (conversation is null || !caller.IsAgent)
        {
            return null;
        }
        if (conversation.AssigneeId != caller.UserId && !caller.IsAdmin)
        {
            return new CloseResult(CloseOutcome.NotFound, conversation);
        }
        // Routing learns of the freed capacity from the committed change.
        return await store.CloseAsync(conversationId, caller.UserId, SenderTypes.Agent, caller.Name, cancellationToken);
    }

    /// <summary>The console's view of one conversation; null when the caller may not see it.</summary>
    public async Task<ConversationItem?> GetItemAsync(Caller caller, string conversationId, CancellationToken cancellationToken)
    {
        var conversation = await GetVisibleAsync(caller, conversationId, cancellationToken);
        if (conversation is null)
        {
            return null;
        }
        var visitor = await directory.GetVisitorAsync(conversation.VisitorId, cancellationToken);
        var receipts = await store.GetReceiptsAsync(conversation, caller.UserId, cancellationToken);
        var last = await store.ReadBeforeAsync(conversation.Id, conversation.LastSeq + 1, 1, cancellationToken);
        var lastMessage = last.Count == 1 ? last[0] : null;
        return ConversationItem.From(new ConversationListItem(conversation, visitor?.Name, receipts.OwnReadSeq, lastMessage, lastMessage?.CreatedAt ?? conversation.CreatedAt));
    }

    /// <summary>An agent takes a queued conversation. Null: not visible; false: taken already or the agent is full.</summary>
    public async Task<bool?> ClaimAsync(Caller caller, string conversationId, CancellationToken cancellationToken)
    {
        var conversation = await GetVisibleAsync(caller, conversationId, cancellationToken);
        var agent = caller.IsAgent ? await directory.GetAgentAsync(caller.UserId, cancellationToken) : null;
        if (conversation is null || agent is null)
        {
            return null;
        }
        var assignment = await store.TryAssignAsync(conversation.Id, [new AgentCandidate(agent.Id, agent.DisplayName, agent.MaxConcurrent)], cancellationToken);
        return assignment is not null;
    }

    /// <summary>Reopens a closed conversation for the calling agent. Null: not visible; false: not closed or the visitor has another open one.</summary>
    public async Task<bool?> ReopenAsync(Caller caller, string conversationId, CancellationToken cancellationToken)
    {
        var conversation = await GetVisibleAsync(caller, conversationId, cancellationToken);
        var agent = caller.IsAgent ? await directory.GetAgentAsync(caller.UserId, cancellationToken) : null;
        if (conversation is null || agent is null)
        {
            return null;
        }
        var reopened = await store.ReopenAsync(conversation.Id, new AgentCandidate(agent.Id, agent.DisplayName, agent.MaxConcurrent), cancellationToken);
        return reopened is not null;
    }

    private async Task<(string Id, bool Started)> StartAsync(Caller caller, string? clientConvId, CancellationToken cancellationToken)
    {
        var siteId = caller.SiteId ?? throw new InvalidOperationException("A visitor belongs to a site.");
        var (teamId, hint, last) = await entry.PrepareAsync(caller, cancellationToken);
        if (await TryReopenAsync(caller, last, hint, cancellationToken) is { } reopened)
        {
            return (reopened, true);
        }
        var bot = await botEntry.DecideAsync(caller, teamId, cancellationToken);
        if (bot is null)
        {
            // Left before the commit: routing picks it up with the conversation's first change.
            routing.SetHint(caller.UserId, hint);
        }
        var start = await store.StartConversationAsync(
            new StartConversation(caller.TenantId, siteId, caller.UserId, teamId, clientConvId, hint.Skills, hint.Priority, bot?.Greeting), cancellationToken);
        if (!start.Started && bot is null)
        {
            routing.TakeHint(caller.UserId);
        }
        if (start.Started && bot is not null)
        {
            // The bot serves it; routing gets the hint at the handoff, from the bot's session.
            botFlow.Started(start.Conversation, bot.Mode, hint);
        }
        return (start.Conversation.Id, start.Started);
    }

    /// <summary>
    /// The visitor's last conversation, reopened when it closed within the reopen window: back to the bot when the bot
    /// served it without a handoff and the site's mode gives new conversations to the bot; into the queue otherwise.
    /// </summary>
    private async Task<string?> TryReopenAsync(Caller caller, Conversation? last, RoutingHint hint, CancellationToken cancellationToken)
    {
        var window = lifecycle.Value.ReopenWindowSeconds;
        if (window <= 0 || last is not { Status: ConversationStatuses.Closed, ClosedAt: { } closedAt } || time.GetUtcNow() - closedAt > TimeSpan.FromSeconds(window))
        {
            return null;
        }
        if (await botEntry.ReopenAsync(caller, last, cancellationToken) is { } withBot)
        {
            return withBot.Id;
        }
        routing.SetHint(caller.UserId, hint);
        var reopened = await store.ReopenQueuedAsync(last.Id, new RoutingActor(caller.UserId, SenderTypes.Visitor, caller.Name, null), cancellationToken);
        if (reopened is null)
        {
            routing.TakeHint(caller.UserId);
        }
        return reopened?.Id;
    }

    private Task<AppendResult> AppendAsync(Caller caller, string conversationId, SendCommand command, CancellationToken cancellationToken)
    {
        var senderType = caller.IsAgent ? SenderTypes.Agent : SenderTypes.Visitor;
        return store.AppendAsync(
            new NewMessage(conversationId, senderType, caller.UserId, caller.Name, command.ClientMsgId, command.Kind, command.Text, command.AttachmentJson, command.MetaJson,
                new AppendGuard(caller.TenantId, caller.UserId, caller.SiteId, caller.IsAgent, caller.IsAdmin)),
            cancellationToken);
    }
}
