using Kefu.Core.Bots;

namespace Kefu.Bots.Handoff;

/// <summary>First in the chain: a visitor asking for a human gets one, whatever the FAQ holds.</summary>
public sealed class HandoffBot(HandoffBotOptions? options = null) : IBot
{
    private readonly HandoffBotOptions _options = options ?? new HandoffBotOptions();
    private readonly HandoffDetector _detector = new((options ?? new HandoffBotOptions()).ExtraPhrases);

    public string Name => "handoff";

    public ValueTask<BotReply?> AnswerAsync(BotContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!_detector.IsRequest(context.Question))
        {
            return ValueTask.FromResult<BotReply?>(null);
        }
        var text = Text.Script.IsMostlyChinese(context.Question) ? _options.ReplyChinese : _options.ReplyEnglish;
        return ValueTask.FromResult<BotReply?>(BotReply.FromText(text, 1.0) with { Handoff = true, SourceId = "handoff:request" });
    }

    public ValueTask TrainAsync(IReadOnlyList<TrainingPair> pairs, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
