using System.Globalization;
using Kefu.Core.Storage;
using Kefu.Server.Auth;
using Kefu.Server.Conversations;
using Microsoft.Net.Http.Headers;

namespace Kefu.Server.Uploads;

/// <summary>
/// Serves a completed upload (or its thumbnail) with ranges, either to a caller with a token who may read it, or to
/// anyone holding a valid signed link (<see cref="UploadLinks"/>). The browser is never allowed to treat it as a page:
/// nosniff, a sandboxing CSP, and a download (attachment) for anything but plain media types.
/// </summary>
internal sealed class UploadDownload(UploadStore store, IUploadStore uploads, IFileStorage storage, IConversationStore conversations, UploadLinks links, UploadCors cors, TimeProvider time)
{
    public Task<IResult> GetFileAsync(string id, HttpContext http) => GetAsync(id, UploadLinks.File, http);

    public Task<IResult> GetThumbnailAsync(string id, HttpContext http) => GetAsync(id, UploadLinks.Thumbnail, http);

    private async Task<IResult> GetAsync(string id, string variant, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var query = http.Request.Query;
        var signed = query.ContainsKey("sig") || query.ContainsKey("exp");
        if (signed)
        {
            // A valid link is a capability on its own: whichever page holds it may read the file.
            UploadCors.AllowAnyOrigin(http);
        }
        else
        {
            await cors.ApplyAsync(http);
        }
        if (signed && !links.IsValid(id, variant, query["exp"], query["sig"]))
        {
            return TusUploads.Problem(StatusCodes.Status403Forbidden, "The link is expired or not valid; fetch the message again for a fresh one.");
        }
        if (!signed && http.User.Identity?.IsAuthenticated != true)
        {
            return Results.Challenge();
        }
        var record = await store.FindAsync(id, http.RequestAborted);
        if (record is null || !record.Complete || (!signed && !await CanReadAsync(Caller.From(http.User), record, http.RequestAborted)))
        {
            return Results.NotFound();
        }
        if (variant == UploadLinks.Thumbnail && !record.HasThumbnail)
        {
            return Results.NotFound();
        }
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        // The bytes of a completed upload never change: a signed link may be cached until it expires.
        headers.CacheControl = signed
            ? string.Create(CultureInfo.InvariantCulture, $"private, max-age={Math.Max(0, long.Parse(query["exp"]!, CultureInfo.InvariantCulture) - time.GetUtcNow().ToUnixTimeSeconds())}")
            : "private, no-cache";
        if (variant == UploadLinks.Thumbnail)
        {
            var thumbnail = await storage.OpenReadAsync(ImageProcessor.ThumbnailKey(id), http.RequestAborted);
            return Results.File(thumbnail, ImageProcessor.ThumbnailType(record.ContentType), enableRangeProcessing: true);
        }
        var stream = await storage.OpenReadAsync(id, http.RequestAborted);
        if (ContentSniffer.IsInlineSafe(record.ContentType))
        {
            var inline = new ContentDispositionHeaderValue("inline");
            inline.SetHttpFileName(record.Name);
            headers.ContentDisposition = inline.ToString();
            return Results.File(stream, record.ContentType, enableRangeProcessing: true);
        }
        return Results.File(stream, record.ContentType, fileDownloadName: record.Name, enableRangeProcessing: true);
    }

    /// <summary>The uploader, the tenant's agents, and the participants of a conversation the file was sent in.</summary>
    private async Task<bool> CanReadAsync(Caller caller, StoredUpload record, CancellationToken cancellationToken)
    {
        if (UploadAccess.CanRead(caller, record))
        {
            return true;
        }
        if (caller.TenantId != record.TenantId)
        {
            return false;
        }
        foreach (var conversationId in await uploads.ListUploadConversationsAsync(record.Id, cancellationToken))
        {
            if (await conversations.GetConversationAsync(conversationId, cancellationToken) is { } conversation && ConversationService.CanSee(caller, conversation))
            {
                return true;
            }
        }
        return false;
    }
}
