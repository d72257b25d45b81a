using System.Globalization;
using Kefu.Core.Ids;
using Kefu.Core.Storage;
using Kefu.Server.Auth;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Uploads;

/// <summary>tus creation, offset queries and termination. Someone else's upload is a 404, never a 403.</summary>
internal sealed class TusUploads(
    UploadStore store, IUploadStore uploads, IFileStorage storage, UploadPolicy policy, IOptions<UploadOptions> options, TimeProvider time, ILogger<TusUploads> logger)
{
    /// <summary>How long HEAD waits for a running PATCH (for example one whose client just went away) to record its offset.</summary>
    private static readonly TimeSpan HeadLockWait = TimeSpan.FromSeconds(5);

    public async Task<IResult> CreateAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var caller = Caller.From(http.User);
        var headers = http.Request.Headers;
        if (headers.ContainsKey(Tus.DeferLengthHeader))
        {
            return Problem(StatusCodes.Status400BadRequest, "Upload-Defer-Length is not supported; send Upload-Length.");
        }
        if (!long.TryParse(headers[Tus.LengthHeader], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            return Problem(StatusCodes.Status400BadRequest, "Upload-Length must be a non-negative integer.");
        }
        if (length == 0)
        {
            return Problem(StatusCodes.Status400BadRequest, "Empty files are not accepted.");
        }
        if (length > options.Value.MaxBytes)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, $"Files are limited to {options.Value.MaxBytes} bytes.");
        }
        var siteId = caller.IsVisitor ? caller.SiteId : null;
        var limits = await policy.ForSiteAsync(siteId, http.RequestAborted);
        if (length > limits.MaxBytes)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, $"Files on this site are limited to {limits.MaxBytes} bytes.");
        }
        var metadata = TusMetadata.Parse(headers[Tus.MetadataHeader]);
        if (metadata is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "Upload-Metadata must be comma-separated 'key base64value' pairs.");
        }
        var now = time.GetUtcNow();
        var record = new StoredUpload(
            IdGenerator.New("up", now), caller.UserId, caller.TenantId, siteId, length, 0,
            FileNames.Sanitize(metadata.GetValueOrDefault("filename")), ContentSniffer.Unknown, false, now, now.AddSeconds(options.Value.ExpirySeconds));
        if (siteId is not null && limits.QuotaBytes is { } quota)
        {
            // The whole declared length is reserved at once, atomically with the check (until termination or expiry).
            if (await uploads.TryAddUploadWithinQuotaAsync(record, quota, http.RequestAborted) is { } used)
            {
                return Problem(StatusCodes.Status413PayloadTooLarge,
                    $"The site's storage quota of {quota} bytes would be exceeded: {used} bytes are in use, this file has {length}.");
            }
        }
        else
        {
            await store.SaveAsync(record, http.RequestAborted);
        }
        await using (await storage.OpenAppendAsync(record.Id, 0, http.RequestAborted))
        {
            // Creates the empty file, so HEAD and PATCH always find one.
        }
        UploadLog.Created(logger, record.Id, length);
        http.Response.Headers[Tus.ExpiresHeader] = Expires(record);
        return Results.Created($"{TusEndpoints.BasePath}/{record.Id}", null);
    }

    public async Task<IResult> HeadAsync(string id, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var record = await FindOwnAsync(id, http);
        if (record is null)
        {
            return Results.NotFound();
        }
        using (await store.LockAsync(id, HeadLockWait, http.RequestAborted))
        {
            record = await store.FindAsync(id, http.RequestAborted) ?? record;
        }
        var headers = http.Response.Headers;
        headers.CacheControl = "no-store";
        headers[Tus.OffsetHeader] = record.Offset.ToString(CultureInfo.InvariantCulture);
        headers[Tus.LengthHeader] = record.Length.ToString(CultureInfo.InvariantCulture);
        if (!record.Complete)
        {
            headers[Tus.ExpiresHeader] = Expires(record);
        }
        return Results.Ok();
    }

    public async Task<IResult> DeleteAsync(string id, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (await FindOwnAsync(id, http) is null)
        {
            return Results.NotFound();
        }
        using (await store.LockAsync(id, HeadLockWait, http.RequestAborted))
        {
            await storage.DeleteAsync(id, http.RequestAborted);
            await storage.DeleteAsync(ImageProcessor.ThumbnailKey(id), http.RequestAborted);
            await store.DeleteAsync(id, http.RequestAborted);
        }
        return Results.NoContent();
    }

    /// <summary>The caller's own upload, unless it is missing or an incomplete one past its expiry.</summary>
    public async Task<StoredUpload?> FindOwnAsync(string id, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var record = await store.FindAsync(id, http.RequestAborted);
        if (record is null || !UploadAccess.CanWrite(Caller.From(http.User), record))
        {
            return null;
        }
        return !record.Complete && record.ExpiresAt <= time.GetUtcNow() ? null : record;
    }

    public static string Expires(StoredUpload record) => record.ExpiresAt.ToString("R", CultureInfo.InvariantCulture);

    public static IResult Problem(int status, string title) => Results.Problem(statusCode: status, title: title);
}
