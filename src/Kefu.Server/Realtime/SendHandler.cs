using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Kefu.Core.Diagnostics;
using Kefu.Core.Protocol;
using Kefu.Core.Storage;
using Kefu.Server.Conversations;
using Kefu.Server.Hosting;
using Kefu.Server.Uploads;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Realtime;

/// <summary>
/// <c>send</c>: validates the frame, applies the rate limit, and appends. Sends are pipelined: the store
/// keeps their order (one FIFO writer), so the loop reads the next frame while this one commits; only a
/// visitor's first send, which may start the conversation, is awaited in line. An attachment (kinds
/// <c>image</c>, <c>file</c>, <c>voice</c>) is resolved to the sender's completed upload before the append.
/// </summary>
internal sealed partial class SendHandler(
    ConversationService conversations,
    IConversationStore store,
    AttachmentResolver attachments,
    IOptions<LimitsOptions> limits,
    TimeProvider time,
    ILogger<SendHandler> logger)
{
    private const int MaxClientIdLength = 128;
    private const int MaxInFlight = 64;

    public async Task<bool> HandleAsync(ClientConnection connection, ClientFrame frame, long now)
    {
        var caller = connection.Caller!;
        var error = Validate(frame, caller.IsAgent, out var command);
        if (error is not null)
        {
            return Reject(connection, frame.Rid, error.Value.Code, error.Value.Message, now);
        }
        string? uploadId = null;
        if (AttachmentResolver.IsAttachmentKind(command!.Kind))
        {
            AttachmentResolution resolved;
            try
            {
                resolved = await attachments.ResolveAsync(caller, command.Kind, frame.Attachment, CancellationToken.None);
            }
            catch (Exception ex) when (FrameDispatcher.IsStoreFailure(ex))
            {
                LogUnavailable(logger, connection.Id, ex);
                connection.Reply(new Outgoing(FrameSerializer.Error(frame.Rid, ErrorCodes.Unavailable, "Not stored; retry with the same clientMsgId.")));
                return true;
            }
            if (resolved.ErrorCode is not null)
            {
                return Reject(connection, frame.Rid, resolved.ErrorCode, resolved.Error!, now);
            }
            uploadId = resolved.UploadId;
            command = command with { AttachmentJson = resolved.Json };
        }
        if (!connection.SendLimiter!.TryAcquire(now))
        {
            // A retry of a stored message is answered from the store: repeats never count against the limit.
            var original = await store.FindByClientMsgIdAsync(caller.UserId, command!.ClientMsgId, CancellationToken.None);
            if (original is null)
            {
                return RateLimited(connection, frame.Rid, now);
            }
            Ack(connection, frame.Rid, command.ClientMsgId, original);
            return true;
        }
        var known = connection.CurrentConversationId;
        var work = SendAsync(connection, frame.Rid, command, known, uploadId, Stopwatch.GetTimestamp());
        if (Interlocked.Increment(ref connection.InFlight) > MaxInFlight || (caller.IsVisitor && known is null))
        {
            await work;
        }
        return !connection.IsClosing;
    }

    private async Task SendAsync(ClientConnection connection, string? rid, SendCommand command, string? known, string? uploadId, long started)
    {
        try
        {
            var result = await conversations.SendAsync(connection.Caller!, command, known, CancellationToken.None);
            if (result.Acked)
            {
                var m = result.Message!;
                if (result.Status == SendStatus.Duplicate)
                {
                    connection.SendLimiter!.Refund();
                }
                if (connection.Caller!.IsVisitor && command.ConversationId is null)
                {
                    connection.CurrentConversationId = m.ConversationId;
                }
                if (uploadId is not null)
                {
                    await attachments.RecordSentInAsync(uploadId, m.ConversationId);
                }
                KefuMetrics.SendDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
                Ack(connection, rid, command.ClientMsgId, m);
                return;
            }
            var code = result.Status switch
            {
                SendStatus.NotFound => ErrorCodes.NotFound,
                SendStatus.Forbidden => ErrorCodes.Forbidden,
                SendStatus.Closed => ErrorCodes.Conflict,
                _ => ErrorCodes.BadFrame,
            };
            if (result.Status == SendStatus.Closed && connection.CurrentConversationId == command.ConversationId)
            {
                connection.CurrentConversationId = null;
            }
            Reject(connection, rid, code, result.Error ?? "Not sent.", time.GetTimestampMs());
        }
        catch (Exception ex) when (FrameDispatcher.IsStoreFailure(ex))
        {
            LogUnavailable(logger, connection.Id, ex);
            connection.Reply(new Outgoing(FrameSerializer.Error(rid, ErrorCodes.Unavailable, "Not stored; retry with the same clientMsgId.")));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogFailed(logger, connection.Id, ex);
            connection.Reply(new Outgoing(FrameSerializer.Error(rid, ErrorCodes.Internal, "Not stored; retry with the same clientMsgId.")));
        }
        finally
        {
            Interlocked.Decrement(ref connection.InFlight);
        }
    }

    private static void Ack(ClientConnection connection, string? rid, string clientMsgId, StoredMessage m) =>
        connection.Reply(new Outgoing(FrameSerializer.Serialize(
            new AckFrame(rid, clientMsgId, m.ConversationId, m.MsgId, m.Seq, m.CreatedAt), ProtocolJsonContext.Default.AckFrame)));

    private (string Code, string Message)? Validate(ClientFrame frame, bool isAgent, out SendCommand? command)
    {
        command = null;
        if (string.IsNullOrEmpty(frame.ClientMsgId) || frame.ClientMsgId.Length > MaxClientIdLength)
        {
            return (ErrorCodes.BadFrame, $"send needs a clientMsgId of 1 to {MaxClientIdLength} characters.");
        }
        if (frame.ClientConvId is { Length: > MaxClientIdLength })
        {
            return (ErrorCodes.BadFrame, $"clientConvId has at most {MaxClientIdLength} characters.");
        }
        var kind = frame.Kind ?? MessageKinds.Text;
        var allowed = kind == MessageKinds.Text || AttachmentResolver.IsAttachmentKind(kind) || (isAgent && kind is MessageKinds.Card or MessageKinds.QuickReplies);
        if (!allowed)
        {
            return (ErrorCodes.BadFrame, $"Kind '{kind}' cannot be sent here.");
        }
        if (!AttachmentResolver.IsAttachmentKind(kind) && frame.Attachment is { ValueKind: not JsonValueKind.Null })
        {
            return (ErrorCodes.BadFrame, "attachment goes only with kind image, file or voice.");
        }
        if (kind is MessageKinds.Text or MessageKinds.QuickReplies && string.IsNullOrWhiteSpace(frame.Text))
        {
            return (ErrorCodes.BadFrame, "A text message needs text.");
        }
        if (frame.Text is not null)
        {
            var length = frame.Text.EnumerateRunes().Count();
            if (length > limits.Value.MaxTextLength)
            {
                return (ErrorCodes.TooLarge, string.Create(CultureInfo.InvariantCulture, $"text has at most {limits.Value.MaxTextLength} characters (got {length})."));
            }
        }
        if (frame.Meta is { } meta && meta.ValueKind != JsonValueKind.Object && meta.ValueKind != JsonValueKind.Null)
        {
            return (ErrorCodes.BadFrame, "meta must be an object.");
        }
        if (kind == MessageKinds.Card && frame.Meta is not { ValueKind: JsonValueKind.Object })
        {
            return (ErrorCodes.BadFrame, "A card needs meta.");
        }
        // Visitors send plain text (with at most the payload of the quick-reply button they picked); structured meta
        // (cards, quick replies) comes from agents and bots only.
        var metaJson = isAgent
            ? frame.Meta is { ValueKind: JsonValueKind.Object } m ? m.GetRawText() : null
            : VisitorMeta.From(frame.Meta);
        command = new SendCommand(frame.ClientMsgId, frame.ConversationId, frame.ClientConvId, kind, frame.Text, null, metaJson);
        return null;
    }

    private bool Reject(ClientConnection connection, string? rid, string code, string message, long now)
    {
        connection.Reply(new Outgoing(FrameSerializer.Error(rid, code, message)));
        if (connection.CountError(now, limits.Value.ErrorsPerMinute))
        {
            connection.RequestClose(CloseCodes.ProtocolViolation, "Too many errors.", now);
            return false;
        }
        return true;
    }

    /// <summary>Rate-limited sends get an error; a client that keeps going far past the limit is closed with 4429.</summary>
    private bool RateLimited(ClientConnection connection, string? rid, long now)
    {
        connection.Reply(new Outgoing(FrameSerializer.Error(rid, ErrorCodes.RateLimited, "Too many sends; slow down and retry.")));
        if (now - connection.RateLimitedWindowStartMs > 10_000)
        {
            connection.RateLimitedWindowStartMs = now;
            connection.RateLimitedCount = 0;
        }
        if (++connection.RateLimitedCount > Math.Max(limits.Value.SendsPer10Seconds, 20))
        {
            connection.RequestClose(CloseCodes.RateLimited, "Rate limited.", now);
            return false;
        }
        return true;
    }

    [LoggerMessage(EventId = 220, Level = LogLevel.Warning, Message = "Store unavailable; send on connection {ConnectionId} not acked")]
    private static partial void LogUnavailable(ILogger logger, long connectionId, Exception exception);

    [LoggerMessage(EventId = 221, Level = LogLevel.Error, Message = "Send on connection {ConnectionId} failed")]
    private static partial void LogFailed(ILogger logger, long connectionId, Exception exception);
}
