using Kefu.Server.Auth;
using Microsoft.Net.Http.Headers;

namespace Kefu.Server.Uploads;

/// <summary>
/// Serves a completed upload with ranges. The browser is never allowed to treat it as a page: nosniff, a
/// sandboxing CSP, and a download (attachment) for anything but plain media types.
/// </summary>
internal sealed class UploadDownload(UploadStore store, IFileStorage storage)
{
    public async Task<IResult> GetAsync(string id, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var record = await store.FindAsync(id, http.RequestAborted);
        if (record is null || !record.Complete || !UploadAccess.CanRead(Caller.From(http.User), record))
        {
            return Results.NotFound();
        }
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        headers.CacheControl = "private, no-cache";
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
}
