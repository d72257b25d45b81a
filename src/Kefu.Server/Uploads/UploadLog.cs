namespace Kefu.Server.Uploads;

internal static partial class UploadLog
{
    [LoggerMessage(EventId = 800, Level = LogLevel.Information, Message = "Upload {UploadId} created: {Length} bytes")]
    public static partial void Created(ILogger logger, string uploadId, long length);

    [LoggerMessage(EventId = 801, Level = LogLevel.Information, Message = "Upload {UploadId} complete: {Length} bytes")]
    public static partial void Completed(ILogger logger, string uploadId, long length);

    [LoggerMessage(EventId = 802, Level = LogLevel.Information, Message = "Upload {UploadId} interrupted at {Offset} bytes; the client resumes from there")]
    public static partial void Interrupted(ILogger logger, string uploadId, long offset);

    [LoggerMessage(EventId = 803, Level = LogLevel.Information, Message = "Expired partial uploads removed: {Count}")]
    public static partial void Expired(ILogger logger, int count);

    [LoggerMessage(EventId = 804, Level = LogLevel.Warning, Message = "Sweeping expired uploads failed; trying again on the next round")]
    public static partial void SweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 805, Level = LogLevel.Warning, Message = "Upload {UploadId} was sent in conversation {ConversationId} but that was not recorded; its participants use the signed links")]
    public static partial void SentInNotRecorded(ILogger logger, string uploadId, string conversationId, Exception exception);

    [LoggerMessage(EventId = 806, Level = LogLevel.Information, Message = "Upload {UploadId} is not a readable image; it stays a plain file")]
    public static partial void ImageUnreadable(ILogger logger, string uploadId, Exception exception);

    [LoggerMessage(EventId = 807, Level = LogLevel.Warning, Message = "Upload {UploadId} is a {Width}x{Height} image, above MaxImagePixels; it is not decoded and stays a plain file")]
    public static partial void ImageTooLarge(ILogger logger, string uploadId, int width, int height);

    [LoggerMessage(EventId = 808, Level = LogLevel.Information, Message = "Upload {UploadId}: location metadata removed")]
    public static partial void LocationStripped(ILogger logger, string uploadId);

    [LoggerMessage(EventId = 809, Level = LogLevel.Information, Message = "Upload {UploadId} removed: its site does not accept {ContentType}")]
    public static partial void TypeRefused(ILogger logger, string uploadId, string contentType);
}
