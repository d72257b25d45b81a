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
}
