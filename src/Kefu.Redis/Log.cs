using Microsoft.Extensions.Logging;

namespace Kefu.Redis;

/// <summary>The Redis adapters' log messages (event ids 3400-3499). Ids and counts only, never frame content.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3400, Level = LogLevel.Warning, Message = "Redis bus unavailable ({Reason}); events are dropped until it returns and clients heal by seq")]
    public static partial void BusOutage(this ILogger logger, string reason);

    [LoggerMessage(EventId = 3401, Level = LogLevel.Information, Message = "Redis bus delivers again after dropping {Dropped} events")]
    public static partial void BusResumed(this ILogger logger, long dropped);

    [LoggerMessage(EventId = 3402, Level = LogLevel.Warning, Message = "A bus message of {Length} bytes could not be read; it is ignored")]
    public static partial void MalformedMessage(this ILogger logger, int length);

    [LoggerMessage(EventId = 3403, Level = LogLevel.Error, Message = "A bus handler failed on an event of conversation {ConversationId}")]
    public static partial void HandlerFailed(this ILogger logger, Exception exception, string? conversationId);

    [LoggerMessage(EventId = 3404, Level = LogLevel.Error, Message = "A Reconnected handler failed")]
    public static partial void ReconnectedHandlerFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3405, Level = LogLevel.Debug, Message = "Publishing to the Redis bus failed")]
    public static partial void PublishFailed(this ILogger logger, Exception exception);
}
