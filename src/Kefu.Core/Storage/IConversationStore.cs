namespace Kefu.Core.Storage;

/// <summary>
/// Conversations and their message streams. The store is the source of truth and of order: it assigns
/// <c>seq</c> (1, 2, 3, … gapless per conversation) inside the commit, recognises a repeated
/// <c>(senderId, clientMsgId)</c> before using a <c>seq</c>, and completes a write only after it is durable.
/// </summary>
public interface IConversationStore
{
    Task<ConversationStart> StartConversationAsync(StartConversation request, CancellationToken cancellationToken);

    Task<AppendResult> AppendAsync(NewMessage message, CancellationToken cancellationToken);

    /// <summary>The message a sender stored with this <c>clientMsgId</c>, if any (answers a retry without a write).</summary>
    Task<StoredMessage?> FindByClientMsgIdAsync(string senderId, string clientMsgId, CancellationToken cancellationToken);

    Task<Conversation?> GetConversationAsync(string conversationId, CancellationToken cancellationToken);

    /// <summary>The visitor's conversations, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<Conversation>> ListForVisitorAsync(string visitorId, int limit, CancellationToken cancellationToken);

    /// <summary>Conversations assigned to the agent that are not closed.</summary>
    Task<IReadOnlyList<Conversation>> ListOpenForAgentAsync(string agentId, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="ListForVisitorAsync"/> for many visitors in one read: each visitor's newest conversations, at most
    /// <paramref name="limitEach"/> of each, grouped by visitor (newest first within a visitor).
    /// </summary>
    Task<IReadOnlyList<Conversation>> ListForVisitorsAsync(IReadOnlyList<string> visitorIds, int limitEach, CancellationToken cancellationToken);

    /// <summary><see cref="ListOpenForAgentAsync"/> for many agents in one read, grouped by agent (oldest first within an agent).</summary>
    Task<IReadOnlyList<Conversation>> ListOpenForAgentsAsync(IReadOnlyList<string> agentIds, CancellationToken cancellationToken);

    /// <summary>Queued conversations of a tenant, oldest first.</summary>
    Task<IReadOnlyList<Conversation>> ListQueuedAsync(string tenantId, int limit, CancellationToken cancellationToken);

    /// <summary>Messages with <c>seq</c> greater than <paramref name="afterSeq"/>, ascending.</summary>
    Task<IReadOnlyList<StoredMessage>> ReadAfterAsync(string conversationId, long afterSeq, int limit, CancellationToken cancellationToken);

    /// <summary>Messages with <c>seq</c> less than <paramref name="beforeSeq"/>, ascending (the newest <paramref name="limit"/> of them).</summary>
    Task<IReadOnlyList<StoredMessage>> ReadBeforeAsync(string conversationId, long beforeSeq, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Assigns a queued conversation to the least-loaded candidate that has spare capacity, atomically with
    /// the load check, and appends an <c>assigned</c> event. Null when the conversation is not queued or no
    /// candidate has room.
    /// </summary>
    Task<Assignment?> TryAssignAsync(string conversationId, IReadOnlyList<AgentCandidate> candidates, CancellationToken cancellationToken);

    Task<CloseResult> CloseAsync(string conversationId, string closedById, string closedByType, string? closedByName, CancellationToken cancellationToken);

    /// <summary>Advances a cumulative receipt; never lowers it. Returns the resulting state.</summary>
    Task<ReceiptState> RecordReceiptAsync(string conversationId, string userId, string kind, long seq, CancellationToken cancellationToken);

    Task<ConversationReceipts> GetReceiptsAsync(Conversation conversation, string userId, CancellationToken cancellationToken);

    /// <summary>The console's list for one agent of a tenant, most recently active first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ConversationListItem>> ListForConsoleAsync(string tenantId, string agentId, ConversationListView view, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Reopens a closed conversation, assigned to <paramref name="agent"/>, with a <c>reopened</c> event. Null when
    /// it is not closed, or when its visitor already has another conversation that is not closed on the site.
    /// </summary>
    Task<Conversation?> ReopenAsync(string conversationId, AgentCandidate agent, CancellationToken cancellationToken);

    Task<IReadOnlyList<AgentLoad>> GetAgentLoadsAsync(IReadOnlyList<string> agentIds, CancellationToken cancellationToken);

    /// <summary>Every conversation that is queued or open, with its routing requirements: what routing rebuilds from at start.</summary>
    Task<IReadOnlyList<RoutableConversation>> ListRoutableAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Puts an open conversation back in the queue (of <paramref name="teamId"/> when given: a transfer to a team),
    /// unassigned, with an <c>unassigned</c> or <c>transferred</c> event. Null when it is not open, or when
    /// <paramref name="expectedAssigneeId"/> is given and the conversation is no longer that agent's (checked in the
    /// write: a transfer committed a moment earlier, on any node, is not undone).
    /// </summary>
    Task<Conversation?> RequeueAsync(string conversationId, string? teamId, string? expectedAssigneeId, RoutingActor by, CancellationToken cancellationToken);

    /// <summary>
    /// Gives a queued or open conversation to <paramref name="agent"/> if it has room (checked in the write), with a
    /// <c>transferred</c> event. Null when the conversation is closed, already the agent's, or the agent is full.
    /// </summary>
    Task<Assignment?> TransferAsync(string conversationId, AgentCandidate agent, RoutingActor by, CancellationToken cancellationToken);

    /// <summary>
    /// Reopens a closed conversation into its team's queue, unassigned, with a <c>reopened</c> event (the visitor
    /// wrote again within the reopen window). Null when it is not closed, or its visitor has another that is not.
    /// </summary>
    Task<Conversation?> ReopenQueuedAsync(string conversationId, RoutingActor by, CancellationToken cancellationToken);
}
