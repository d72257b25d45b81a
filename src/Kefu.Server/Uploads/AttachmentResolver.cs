using System.Text.Json;
using Kefu.Core.Protocol;
using Kefu.Core.Storage;
using Kefu.Server.Auth;

namespace Kefu.Server.Uploads;

/// <summary>
/// Turns the <c>attachment</c> of a <c>send</c> into what the message stores: only a completed upload of the sender
/// (same user, same tenant) whose sniffed content fits the kind. Unknown and foreign uploads answer alike
/// (<c>not_found</c>), so nobody learns that someone else's upload exists.
/// </summary>
internal sealed class AttachmentResolver(UploadStore store, IUploadStore uploads, UploadPolicy policy, ILogger<AttachmentResolver> logger)
{
    public const double MaxDurationSeconds = 24 * 3600;

    public static bool IsAttachmentKind(string kind) => kind is MessageKinds.Image or MessageKinds.File or MessageKinds.Voice;

    /// <summary>The attachment to store, or the error to answer.</summary>
    public async Task<AttachmentResolution> ResolveAsync(Caller caller, string kind, JsonElement? attachment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (attachment is not { ValueKind: JsonValueKind.Object } body
            || !body.TryGetProperty("id"u8, out var idElement) || idElement.ValueKind != JsonValueKind.String)
        {
            return AttachmentResolution.Fail(ErrorCodes.BadFrame, $"kind '{kind}' needs attachment: {{ \"id\": \"<upload id>\" }}.");
        }
        double? duration = null;
        if (kind == MessageKinds.Voice && body.TryGetProperty("durationSeconds"u8, out var durationElement) && durationElement.ValueKind != JsonValueKind.Null)
        {
            if (durationElement.ValueKind != JsonValueKind.Number || !durationElement.TryGetDouble(out var seconds) || !(seconds is > 0 and <= MaxDurationSeconds))
            {
                return AttachmentResolution.Fail(ErrorCodes.BadFrame, $"attachment.durationSeconds must be a number above 0 and at most {MaxDurationSeconds}.");
            }
            duration = Math.Round(seconds, 3);
        }
        var id = idElement.GetString()!;
        var record = await store.FindAsync(id, cancellationToken);
        if (record is null || !UploadAccess.CanWrite(caller, record))
        {
            return AttachmentResolution.Fail(ErrorCodes.NotFound, "No such upload.");
        }
        if (!record.Complete)
        {
            return AttachmentResolution.Fail(ErrorCodes.Conflict, "The upload is not complete yet; finish it, then send.");
        }
        if (kind == MessageKinds.Image && !record.HasThumbnail)
        {
            return AttachmentResolution.Fail(ErrorCodes.BadFrame, "kind 'image' needs a PNG, JPEG, GIF or WebP image the server can read; send other files as kind 'file'.");
        }
        if (kind == MessageKinds.Voice && !ContentSniffer.IsVoice(record.ContentType))
        {
            return AttachmentResolution.Fail(ErrorCodes.BadFrame, "kind 'voice' needs an audio upload (MP3, OGG, WAV, M4A, WebM or MP4 audio); send other files as kind 'file'.");
        }
        var limit = (await policy.ForSiteAsync(record.SiteId, cancellationToken)).MaxBytesFor(kind);
        if (record.Size > limit)
        {
            return AttachmentResolution.Fail(ErrorCodes.TooLarge, $"kind '{kind}' is limited to {limit} bytes here (this file has {record.Size}).");
        }
        var stored = new Attachment(record.Id, record.Name, record.Size, record.ContentType, record.Width, record.Height, duration);
        return AttachmentResolution.Ok(JsonSerializer.Serialize(stored, UploadJsonContext.Default.Attachment), record.Id);
    }

    /// <summary>
    /// Records that the upload was sent in a conversation, so that conversation's participants may download it
    /// with their own token. A failure is logged, not raised: the message is already stored, and its signed links work.
    /// </summary>
    public async Task RecordSentInAsync(string uploadId, string conversationId)
    {
        try
        {
            await uploads.AddUploadConversationAsync(uploadId, conversationId, CancellationToken.None);
        }
        catch (Exception ex) when (Realtime.FrameDispatcher.IsStoreFailure(ex))
        {
            UploadLog.SentInNotRecorded(logger, uploadId, conversationId, ex);
        }
    }
}

/// <summary>The stored attachment JSON and its upload id, or an error code and message.</summary>
internal sealed record AttachmentResolution(string? Json, string? UploadId, string? ErrorCode, string? Error)
{
    public static AttachmentResolution Ok(string json, string uploadId) => new(json, uploadId, null, null);

    public static AttachmentResolution Fail(string code, string message) => new(null, null, code, message);
}
