using System.Text.Json;
using Kefu.Core.Messaging;
using Kefu.Core.Protocol;
using Kefu.Core.Storage;
using Kefu.Server.Agents;
using Kefu.Server.Conversations;
using Kefu.Server.Hosting;
using Kefu.Server.Uploads;
using Kefu.Server.Visitors;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Realtime;

/// <summary>
/// Handles every client frame after it is parsed. Expected failures become <c>error</c> frames and the
/// connection stays open; too many of them in a minute close it with 4400.
/// </summary>
internal sealed partial class FrameDispatcher(
    HelloHandler hello,
    SendHandler sends,
    ConversationService conversations,
    IConversationStore store,
    IDirectoryStore directory,
    IMessageBus bus,
    ConnectionRegistry registry,
    AgentPresence presence,
    IOptions<LimitsOptions> limits,
    TimeProvider time,
    AttachmentWriter attachments,
    ILogger<FrameDispatcher> logger)
{
    private const int MaxSyncLimit = 200;
    private const int DefaultSyncLimit = 50;

    public async Task<bool> DispatchAsync(ClientConnection connection, ClientFrame frame, long now)
    {
        if (connection.Caller is null)
        {
            if (frame.Type != FrameTypes.Hello)
            {
                connection.RequestClose(CloseCodes.ProtocolViolation, "The first frame must be hello.", now);
                return false;
            }
            return await hello.HandleAsync(connection, frame, now);
        }
        try
        {
            switch (frame.Type)
            {
                case FrameTypes.Send:
                    return await sends.HandleAsync(connection, frame, now);
                case FrameTypes.Sync:
                    return await SyncAsync(connection, frame, now);
                case FrameTypes.Delivered:
                case FrameTypes.Read:
                    return await ReceiptAsync(connection, frame, now);
                case FrameTypes.Typing:
                    return await TypingAsync(connection, frame, now);
                case FrameTypes.Watch:
                    return await WatchAsync(connection, frame, now);
                case FrameTypes.Page:
                    return await PageAsync(connection, frame, now);
                case FrameTypes.Ping:
                    connection.Reply(new Outgoing(FrameSerializer.Serialize(new PongFrame(frame.Rid, time.GetUtcNow()), ProtocolJsonContext.Default.PongFrame)));
                    return true;
                case FrameTypes.Hello:
                    return Reject(connection, frame.Rid, ErrorCodes.BadFrame, "hello was already received.", now);
                default:
                    return Reject(connection, frame.Rid, ErrorCodes.UnknownType, "Unknown frame type.", now);
            }
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            LogStoreUnavailable(logger, connection.Id, ex);
            connection.Reply(new Outgoing(FrameSerializer.Error(frame.Rid, ErrorCodes.Unavailable, "The store is unavailable; retry.")));
            return true;
        }
    }

    /// <summary>Sends an error; false (end the loop) once the connection has made too many.</summary>
    public bool Reject(ClientConnection connection, string? rid, string code, string message, long now)
    {
        connection.Reply(new Outgoing(FrameSerializer.Error(rid, code, message)));
        if (connection.CountError(now, limits.Value.ErrorsPerMinute))
        {
            connection.RequestClose(CloseCodes.ProtocolViolation, "Too many errors.", now);
            return false;
        }
        return true;
    }

    public async Task DisconnectedAsync(ClientConnection connection)
    {
        var caller = connection.Caller;
        registry.Unregister(connection, connection.Watched ?? []);
        if (caller is { IsAgent: true })
        {
            presence.Disconnected(caller.UserId);
        }
        if (connection.Socket.State is System.Net.WebSockets.WebSocketState.CloseReceived)
        {
            try
            {
                await connection.Socket.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
            catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // Already gone.
            }
        }
    }

    internal static bool IsStoreFailure(Exception ex) =>
        ex is StoreUnavailableException or System.Data.Common.DbException or TimeoutException;

    private async Task<bool> SyncAsync(ClientConnection connection, ClientFrame frame, long now)
    {
        if (frame.ConversationId is null || (frame.AfterSeq is null) == (frame.BeforeSeq is null) || frame.AfterSeq < 0 || frame.BeforeSeq < 0 || frame.Limit < 1)
        {
            return Reject(connection, frame.Rid, ErrorCodes.BadFrame, "sync needs conversationId and exactly one of afterSeq or beforeSeq (>= 0); limit >= 1.", now);
        }
        var conversation = await conversations.GetVisibleAsync(connection.Caller!, frame.ConversationId, CancellationToken.None);
        if (conversation is null)
        {
            return Reject(connection, frame.Rid, ErrorCodes.NotFound, "No such conversation.", now);
        }
        var limit = Math.Min(frame.Limit ?? DefaultSyncLimit, MaxSyncLimit);
        IReadOnlyList<StoredMessage> items;
        bool hasMore;
        if (frame.AfterSeq is { } after)
        {
            var read = await store.ReadAfterAsync(conversation.Id, after, limit + 1, CancellationToken.None);
            hasMore = read.Count > limit;
            items = hasMore ? read.Take(limit).ToList() : read;
        }
        else
        {
            items = await store.ReadBeforeAsync(conversation.Id, frame.BeforeSeq!.Value, limit, CancellationToken.None);
            hasMore = items.Count > 0 && items[0].Seq > 1;
        }
        var page = new Outgoing(FrameSerializer.Messages(frame.Rid, conversation.Id, items, hasMore, attachments));
        if (frame.AfterSeq is not null && items.Count > 0)
        {
            connection.EnqueuePage(page, conversation.Id, items[^1].Seq);
        }
        else
        {
            connection.Reply(page);
        }
        return true;
    }

    private async Task<bool> ReceiptAsync(ClientConnection connection, ClientFrame frame, long now)
    {
        if (frame.ConversationId is null || frame.Seq is not { } seq || seq < 0)
        {
            return Reject(connection, frame.Rid, ErrorCodes.BadFrame, $"{frame.Type} needs conversationId and seq >= 0.", now);
        }
        var conversation = await conversations.GetVisibleAsync(connection.Caller!, frame.ConversationId, CancellationToken.None);
        if (conversation is null)
        {
            return Reject(connection, frame.Rid, ErrorCodes.NotFound, "No such conversation.", now);
        }
        var kind = frame.Type == FrameTypes.Read ? ReceiptKinds.Read : ReceiptKinds.Delivered;
        // Receipts need no reply: the store's commit publishes the advance to the other participants.
        _ = RecordReceiptAsync(connection, conversation.Id, kind, seq);
        return true;
    }

    private async Task RecordReceiptAsync(ClientConnection connection, string conversationId, string kind, long seq)
    {
        try
        {
            await store.RecordReceiptAsync(conversationId, connection.Caller!.UserId, kind, seq, CancellationToken.None);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            LogStoreUnavailable(logger, connection.Id, ex);
        }
    }

    private async Task<bool> TypingAsync(ClientConnection connection, ClientFrame frame, long now)
    {
        if (frame.ConversationId is null || frame.Active is not { } active)
        {
            return Reject(connection, frame.Rid, ErrorCodes.BadFrame, "typing needs conversationId and active.", now);
        }
        var caller = connection.Caller!;
        var conversation = await conversations.GetVisibleAsync(caller, frame.ConversationId, CancellationToken.None);
        if (conversation is null)
        {
            return Reject(connection, frame.Rid, ErrorCodes.NotFound, "No such conversation.", now);
        }
        bus.Publish(new BusEvent(conversation.TenantId, conversation.Id, 0,
            new Audience(conversation.VisitorId, conversation.AssigneeId, TenantAgents: false, ExcludeUserId: caller.UserId),
            FrameSerializer.Serialize(new TypingFrame(conversation.Id, caller.UserId, active), ProtocolJsonContext.Default.TypingFrame)));
        return true;
    }

    private async Task<bool> WatchAsync(ClientConnection connection, ClientFrame frame, long now)
    {
        var caller = connection.Caller!;
        if (frame.ConversationId is null || frame.Active is not { } active)
        {
            return Reject(connection, frame.Rid, ErrorCodes.BadFrame, "watch needs conversationId and active.", now);
        }
        if (!caller.IsAgent)
        {
            return Reject(connection, frame.Rid, ErrorCodes.Forbidden, "Only agents watch conversations.", now);
        }
        var conversation = await conversations.GetVisibleAsync(caller, frame.ConversationId, CancellationToken.None);
        if (conversation is null)
        {
            return Reject(connection, frame.Rid, ErrorCodes.NotFound, "No such conversation.", now);
        }
        var watched = connection.Watched ??= [];
        if (active && !watched.Contains(conversation.Id))
        {
            watched.Add(conversation.Id);
        }
        else if (!active)
        {
            watched.Remove(conversation.Id);
        }
        registry.Watch(conversation.Id, connection, active);
        return true;
    }

    private async Task<bool> PageAsync(ClientConnection connection, ClientFrame frame, long now)
    {
        var caller = connection.Caller!;
        if (frame.Context is not { ValueKind: JsonValueKind.Object } context)
        {
            return Reject(connection, frame.Rid, ErrorCodes.BadFrame, "page needs a context object.", now);
        }
        if (!caller.IsVisitor)
        {
            return Reject(connection, frame.Rid, ErrorCodes.Forbidden, "Only visitors report pages.", now);
        }
        var merged = VisitorContext.Merge(context, connection);
        await directory.UpdateVisitorContextAsync(caller.UserId, merged, CancellationToken.None);
        if (connection.CurrentConversationId is { } conversationId
            && await store.GetConversationAsync(conversationId, CancellationToken.None) is { AssigneeId: not null } conversation)
        {
            bus.Publish(new BusEvent(conversation.TenantId, conversation.Id, 0,
                new Audience(null, conversation.AssigneeId, TenantAgents: false, ExcludeUserId: caller.UserId),
                FrameSerializer.Serialize(new PageFrame(conversation.Id, caller.UserId, VisitorContext.Parse(merged)), ProtocolJsonContext.Default.PageFrame)));
        }
        return true;
    }

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Store unavailable while serving connection {ConnectionId}")]
    private static partial void LogStoreUnavailable(ILogger logger, long connectionId, Exception exception);
}
