using Kefu.Core.Protocol;
using Kefu.Core.Storage;
using Kefu.Server.Agents;
using Kefu.Server.Auth;
using Kefu.Server.Conversations;
using Kefu.Server.Hosting;
using Kefu.Server.Uploads;
using Kefu.Server.Visitors;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Realtime;

/// <summary>
/// <c>hello</c>: checks the token and origin, registers the connection for live frames (they wait for the
/// welcome), answers <c>welcome</c>, then replays what each <c>resume</c> entry missed. Live frames of a resumed
/// conversation are held until its replay is queued, so they never overtake it.
/// </summary>
internal sealed partial class HelloHandler(
    CallerResolver callers,
    IDirectoryStore directory,
    IConversationStore store,
    ConnectionRegistry registry,
    AgentPresence presence,
    IOptions<LimitsOptions> limits,
    TimeProvider time,
    AttachmentWriter attachments,
    ILogger<HelloHandler> logger)
{
    public const int ReplayCap = 200;
    private const int MaxResumeEntries = 500;
    private const int VisitorConversationsInWelcome = 20;

    public async Task<bool> HandleAsync(ClientConnection connection, ClientFrame frame, long now)
    {
        var caller = await callers.ResolveAsync(frame.Token, CancellationToken.None);
        if (caller is null)
        {
            connection.RequestClose(CloseCodes.BadToken, "Bad or expired token.", now);
            return false;
        }
        var resume = frame.Resume ?? [];
        if (resume.Count > MaxResumeEntries || resume.Exists(r => r is null || r.ConversationId is null || r.AfterSeq < 0))
        {
            connection.RequestClose(CloseCodes.ProtocolViolation, "Bad resume list.", now);
            return false;
        }
        Agent? agent = null;
        if (caller.IsVisitor)
        {
            var site = caller.SiteId is null ? null : await directory.GetSiteAsync(caller.SiteId, CancellationToken.None);
            var visitor = await directory.GetVisitorAsync(caller.UserId, CancellationToken.None);
            if (site is null || visitor is null)
            {
                connection.RequestClose(CloseCodes.BadToken, "Unknown visitor.", now);
                return false;
            }
            if (!OriginPolicy.Allows(site, connection.Origin))
            {
                connection.RequestClose(CloseCodes.Forbidden, "Origin not allowed for this site.", now);
                return false;
            }
            if (registry.OfUser(caller.UserId).Length >= limits.Value.MaxConnectionsPerVisitor)
            {
                connection.RequestClose(CloseCodes.RateLimited, "Too many connections for this visitor.", now);
                return false;
            }
            caller = caller with { Name = visitor.Name };
            if (frame.Context is { ValueKind: System.Text.Json.JsonValueKind.Object })
            {
                await directory.UpdateVisitorContextAsync(visitor.Id, VisitorContext.Merge(frame.Context, connection), CancellationToken.None);
            }
        }
        else
        {
            agent = await directory.GetAgentAsync(caller.UserId, CancellationToken.None);
            if (agent is null)
            {
                connection.RequestClose(CloseCodes.BadToken, "Unknown agent.", now);
                return false;
            }
        }

        // Registered before the welcome's state is read: a change committed meanwhile (an assignment or a close on
        // another node) reaches this connection as a live frame right after the welcome instead of falling between.
        connection.Caller = caller;
        connection.SendLimiter = new SendRateLimiter(limits.Value.SendsPer10Seconds);
        connection.AwaitWelcome();
        registry.Register(connection);
        if (agent is not null)
        {
            // Counted per connection: the agent stays online (or away) until its last one closes and the grace period ends.
            presence.Connected(agent.TenantId, agent.Id);
        }

        var list = caller.IsVisitor
            ? await store.ListForVisitorAsync(caller.UserId, VisitorConversationsInWelcome, CancellationToken.None)
            : await store.ListOpenForAgentAsync(caller.UserId, CancellationToken.None);
        var summaries = new List<ConversationSummary>(list.Count);
        foreach (var c in list)
        {
            var receipts = await store.GetReceiptsAsync(c, caller.UserId, CancellationToken.None);
            summaries.Add(new ConversationSummary(c.Id, c.Status, c.LastSeq,
                c.AssigneeId is null ? null : new Participant(c.AssigneeId, c.AssigneeName),
                receipts.OwnReadSeq, receipts.PeerReadSeq, receipts.PeerDeliveredSeq));
        }
        var replays = new List<(Conversation Conversation, long AfterSeq)>();
        var refused = new List<string>();
        foreach (var point in resume)
        {
            var conversation = await store.GetConversationAsync(point.ConversationId, CancellationToken.None);
            if (conversation is null || !ConversationService.CanSee(caller, conversation))
            {
                refused.Add(point.ConversationId);
                continue;
            }
            replays.Add((conversation, point.AfterSeq));
        }

        connection.CurrentConversationId = caller.IsVisitor ? list.FirstOrDefault(c => c.Status != ConversationStatuses.Closed)?.Id : null;
        var l = limits.Value;
        connection.Welcome(new Outgoing(FrameSerializer.Serialize(
            new WelcomeFrame(frame.Rid ?? "", connection.SessionId, caller.Role, caller.UserId, time.GetUtcNow(), l.HeartbeatSeconds,
                new Limits(l.MaxTextLength, l.SendsPer10Seconds, l.MaxFrameBytes), summaries),
            ProtocolJsonContext.Default.WelcomeFrame)), replays.Select(r => r.Conversation.Id));
        foreach (var conversationId in refused)
        {
            connection.Enqueue(new Outgoing(FrameSerializer.Error(frame.Rid, ErrorCodes.NotFound, $"Cannot resume conversation {conversationId}.")));
        }
        LogHello(logger, connection.Id, caller.Role, replays.Count);
        foreach (var (conversation, afterSeq) in replays)
        {
            // What the client says it has counts only up to what exists (a confused client loses nothing).
            await ReplayAsync(connection, frame.Rid, conversation.Id, Math.Min(afterSeq, conversation.LastSeq));
        }
        return true;
    }

    private async Task ReplayAsync(ClientConnection connection, string? rid, string conversationId, long afterSeq)
    {
        var replayedUpTo = afterSeq;
        try
        {
            var missed = await store.ReadAfterAsync(conversationId, afterSeq, ReplayCap + 1, CancellationToken.None);
            var count = Math.Min(missed.Count, ReplayCap);
            for (var i = 0; i < count; i++)
            {
                connection.EnqueueReplay(new Outgoing(FrameSerializer.Message(missed[i], attachments), conversationId, missed[i].Seq));
                replayedUpTo = missed[i].Seq;
            }
            if (missed.Count > ReplayCap)
            {
                connection.EnqueueReplay(new Outgoing(FrameSerializer.Messages(rid, conversationId, [], hasMore: true, attachments)));
            }
        }
        finally
        {
            connection.Release(conversationId, replayedUpTo);
        }
    }

    [LoggerMessage(EventId = 210, Level = LogLevel.Debug, Message = "Connection {ConnectionId} said hello as {Role}, resuming {Count} conversations")]
    private static partial void LogHello(ILogger logger, long connectionId, string role, int count);
}
