using Microsoft.Extensions.Logging;

namespace Kefu.Storage.Sqlite;

/// <summary>The store's log messages (event ids 3100-3199). Ids and counts only, never message content.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Applied SQLite migration {Version} ({Name})")]
    public static partial void MigrationApplied(this ILogger logger, int version, string name);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "A write op of type {OpType} failed; the rest of its batch goes on")]
    public static partial void OpFailed(this ILogger logger, Exception exception, string opType);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "A batch of {Count} writes could not start; all of them failed")]
    public static partial void BatchFailed(this ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Error, Message = "Commit of a batch of {Count} writes failed; all of them failed")]
    public static partial void CommitFailed(this ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Error, Message = "Rolling back a failed batch failed; the writer reopens its connection")]
    public static partial void RollbackFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Error, Message = "The store observer failed on a change of conversation {ConversationId}")]
    public static partial void ObserverFailed(this ILogger logger, Exception exception, string conversationId);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Critical, Message = "The SQLite writer stopped; writes fail until restart")]
    public static partial void WriterStopped(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3108, Level = LogLevel.Warning, Message = "A background checkpoint failed; the next commit asks for another")]
    public static partial void CheckpointFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Error, Message = "SQLite ping failed")]
    public static partial void PingFailed(this ILogger logger, Exception exception);
}
