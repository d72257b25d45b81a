namespace Kefu.Core.Bots;

/// <summary>
/// A bot plug-in. The server runs bots in a chain, in order, and sends the first reply confident
/// enough; a bot that throws or does not answer within its time budget is skipped. Implementations
/// must be thread-safe: one instance serves every conversation.
/// </summary>
public interface IBot
{
    /// <summary>A short stable name, used in logs and reports.</summary>
    string Name { get; }

    /// <summary>Answers the question, or returns null when the bot has nothing to say.</summary>
    ValueTask<BotReply?> AnswerAsync(BotContext context, CancellationToken cancellationToken);

    /// <summary>Learns from question/answer pairs; bots that cannot learn ignore them.</summary>
    ValueTask TrainAsync(IReadOnlyList<TrainingPair> pairs, CancellationToken cancellationToken);
}
