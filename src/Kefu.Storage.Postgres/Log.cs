using Microsoft.Extensions.Logging;

namespace Kefu.Storage.Postgres;

/// <summary>The store's log messages (event ids 3200-3299). Ids and counts only, never message content.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3200, Level = LogLevel.Information, Message = "Applied PostgreSQL migration {Version} ({Name})")]
    public static partial void MigrationApplied(this ILogger logger, int version, string name);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "A write op of type {OpType} failed; the rest of its batch goes on")]
    public static partial void OpFailed(this ILogger logger, Exception exception, string opType);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Error, Message = "A batch of {Count} writes could not start; all of them failed")]
    public static partial void BatchFailed(this ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Error, Message = "Commit of a batch of {Count} writes failed; all of them failed")]
    public static partial void CommitFailed(this ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 3205, Level = LogLevel.Error, Message = "The store observer failed on a change of conversation {ConversationId}")]
    public static partial void ObserverFailed(this ILogger logger, Exception exception, string conversationId);

    [LoggerMessage(EventId = 3206, Level = LogLevel.Critical, Message = "The PostgreSQL writer stopped; writes fail until restart")]
    public static partial void WriterStopped(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3208, Level = LogLevel.Warning, Message = "The database refused {Count} appends stored together; storing them one by one")]
    public static partial void AppendGroupRefused(this ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 3207, Level = LogLevel.Error, Message = "PostgreSQL ping failed")]
    public static partial void PingFailed(this ILogger logger, Exception exception);
}
