using System.Buffers;
using System.Globalization;
using Kefu.Core.Diagnostics;
using Kefu.Core.Storage;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Uploads;

/// <summary>
/// tus PATCH: streams the request body to storage through one pooled buffer, so memory stays flat whatever the
/// file's size. When the client goes away mid-body, what arrived is kept and recorded: it resumes from there.
/// </summary>
internal sealed class TusPatch(
    UploadStore store,
    IFileStorage storage,
    TusUploads uploads,
    ImageProcessor images,
    UploadPolicy policy,
    IOptions<UploadOptions> options,
    TimeProvider time,
    ILogger<TusPatch> logger)
{
    private const int BufferSize = 256 * 1024;

    /// <summary>The offset is recorded this often during a long body, so even a killed process loses little.</summary>
    private const long CheckpointBytes = 16L * 1024 * 1024;

    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);

    public async Task<IResult> AppendAsync(string id, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!string.Equals(http.Request.ContentType, Tus.OffsetContentType, StringComparison.OrdinalIgnoreCase))
        {
            return TusUploads.Problem(StatusCodes.Status415UnsupportedMediaType, $"Content-Type must be {Tus.OffsetContentType}.");
        }
        if (!long.TryParse(http.Request.Headers[Tus.OffsetHeader], NumberStyles.None, CultureInfo.InvariantCulture, out var clientOffset))
        {
            return TusUploads.Problem(StatusCodes.Status400BadRequest, "Upload-Offset must be a non-negative integer.");
        }
        if (await uploads.FindOwnAsync(id, http) is null)
        {
            return Results.NotFound();
        }
        using var gate = await store.LockAsync(id, LockWait, http.RequestAborted);
        if (gate is null)
        {
            return TusUploads.Problem(StatusCodes.Status409Conflict, "Another request is writing this upload.");
        }
        var record = await store.FindAsync(id, http.RequestAborted);
        if (record is null)
        {
            return Results.NotFound();
        }
        if (clientOffset != record.Offset)
        {
            return TusUploads.Problem(StatusCodes.Status409Conflict, $"Upload-Offset is {record.Offset}.");
        }
        if (record.Complete)
        {
            // A client retrying its last PATCH after the answer was lost: nothing left to write.
            http.Response.Headers[Tus.OffsetHeader] = record.Offset.ToString(CultureInfo.InvariantCulture);
            return http.Request.ContentLength is null or 0 ? Results.NoContent() : TusUploads.Problem(StatusCodes.Status413PayloadTooLarge, "The upload is complete.");
        }
        var remaining = record.Length - record.Offset;
        if (http.Request.ContentLength > remaining)
        {
            return TusUploads.Problem(StatusCodes.Status413PayloadTooLarge, $"The body goes past Upload-Length ({record.Length}).");
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = options.Value.MaxBytes;
        }

        var (written, outcome) = await CopyBodyAsync(record, http);
        if (record.Offset + written == record.Length && await RefusedTypeAsync(record) is { } refused)
        {
            return refused;
        }
        record = await RecordAsync(record, record.Offset + written);
        KefuMetrics.UploadBytesReceived.Add(written);
        if (record.Complete)
        {
            KefuMetrics.UploadsCompleted.Add(1);
        }
        if (outcome == CopyOutcome.Interrupted)
        {
            UploadLog.Interrupted(logger, id, record.Offset);
            return Results.Empty;
        }
        if (outcome == CopyOutcome.TooLong)
        {
            return TusUploads.Problem(StatusCodes.Status413PayloadTooLarge, $"The body goes past Upload-Length ({record.Length}).");
        }
        http.Response.Headers[Tus.OffsetHeader] = record.Offset.ToString(CultureInfo.InvariantCulture);
        if (!record.Complete)
        {
            http.Response.Headers[Tus.ExpiresHeader] = TusUploads.Expires(record);
        }
        return Results.NoContent();
    }

    private async Task<(long Written, CopyOutcome Outcome)> CopyBodyAsync(StoredUpload record, HttpContext http)
    {
        var remaining = record.Length - record.Offset;
        var written = 0L;
        var sinceCheckpoint = 0L;
        var outcome = CopyOutcome.Done;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using var file = await storage.OpenAppendAsync(record.Id, record.Offset, http.RequestAborted);
            try
            {
                var ended = false;
                while (!ended)
                {
                    // The buffer is filled before it is written: one write per 256 KiB, not one per (often small) socket read.
                    var filled = 0;
                    try
                    {
                        while (filled < BufferSize)
                        {
                            var read = await http.Request.Body.ReadAsync(buffer.AsMemory(filled, BufferSize - filled), http.RequestAborted);
                            if (read == 0)
                            {
                                ended = true;
                                break;
                            }
                            filled += read;
                        }
                    }
                    catch (Exception ex) when (ex is IOException or OperationCanceledException or BadHttpRequestException)
                    {
                        // The client went away: what it had sent is still written below.
                        outcome = CopyOutcome.Interrupted;
                        ended = true;
                    }
                    if (filled > remaining - written)
                    {
                        filled = (int)(remaining - written);
                        outcome = CopyOutcome.TooLong;
                        ended = true;
                    }
                    // Bytes already received are kept even if the client has just gone: not cancelled by its abort.
                    await file.WriteAsync(buffer.AsMemory(0, filled), CancellationToken.None);
                    written += filled;
                    sinceCheckpoint += filled;
                    // Not when the last byte is in: the end of the request records the upload complete, once, after
                    // its type is checked (a body ending on a checkpoint boundary completed it twice).
                    if (!ended && written < remaining && sinceCheckpoint >= CheckpointBytes)
                    {
                        await storage.CommitAsync(file, CancellationToken.None);
                        await RecordAsync(record, record.Offset + written);
                        sinceCheckpoint = 0;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or BadHttpRequestException)
            {
                outcome = CopyOutcome.Interrupted;
            }
            // On the disk before the offset is recorded: an acknowledged offset survives a crash.
            await storage.CommitAsync(file, CancellationToken.None);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return (written, outcome);
    }

    /// <summary>
    /// On the last byte: a type the site does not accept (sniffed from the bytes) removes the upload and answers 415.
    /// </summary>
    private async Task<IResult?> RefusedTypeAsync(StoredUpload record)
    {
        var head = new byte[ContentSniffer.HeaderBytes];
        var read = await storage.ReadRangeAsync(record.Id, 0, head, CancellationToken.None);
        var contentType = ContentSniffer.Sniff(head.AsSpan(0, read));
        var limits = await policy.ForSiteAsync(record.SiteId, CancellationToken.None);
        if (limits.Allows(contentType))
        {
            return null;
        }
        await storage.DeleteAsync(record.Id, CancellationToken.None);
        await store.DeleteAsync(record.Id, CancellationToken.None);
        UploadLog.TypeRefused(logger, record.Id, contentType);
        return TusUploads.Problem(StatusCodes.Status415UnsupportedMediaType,
            $"This site does not accept {contentType} files (accepted: {string.Join(", ", limits.AllowedTypes)}); the upload was removed.");
    }

    /// <summary>
    /// Records the new offset; on the last byte, sniffs the type, makes an image's thumbnail (stripping its location
    /// metadata) and marks the upload complete.
    /// </summary>
    private async Task<StoredUpload> RecordAsync(StoredUpload record, long offset)
    {
        var complete = offset == record.Length;
        var updated = record with
        {
            Offset = offset,
            Complete = complete,
            ExpiresAt = complete ? record.ExpiresAt : time.GetUtcNow().AddSeconds(options.Value.ExpirySeconds),
        };
        if (complete)
        {
            var head = new byte[ContentSniffer.HeaderBytes];
            var read = await storage.ReadRangeAsync(record.Id, 0, head, CancellationToken.None);
            updated = updated with { ContentType = ContentSniffer.Sniff(head.AsSpan(0, read)) };
            if (ContentSniffer.IsImage(updated.ContentType) && await images.ProcessAsync(updated, CancellationToken.None) is { } image)
            {
                updated = updated with { Width = image.Width, Height = image.Height, StoredLength = image.Length == record.Length ? null : image.Length };
            }
        }
        // Recorded even when the request was aborted: that is what lets the client resume.
        await store.SaveAsync(updated, CancellationToken.None);
        if (complete)
        {
            UploadLog.Completed(logger, record.Id, record.Length);
        }
        return updated;
    }

    private enum CopyOutcome
    {
        Done,
        TooLong,
        Interrupted,
    }
}
