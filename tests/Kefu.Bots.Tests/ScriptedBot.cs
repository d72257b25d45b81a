using Kefu.Core.Bots;

namespace Kefu.Bots.Tests;

/// <summary>A bot whose behaviour each test scripts.</summary>
internal sealed class ScriptedBot(string name, Func<BotContext, CancellationToken, Task<BotReply?>> answer) : IBot
{
    public string Name => name;

    public int Calls { get; private set; }

    public List<TrainingPair> Trained { get; } = [];

    public static ScriptedBot Replying(string name, BotReply? reply) => new(name, (_, _) => Task.FromResult(reply));

    public ValueTask<BotReply?> AnswerAsync(BotContext context, CancellationToken cancellationToken)
    {
        Calls++;
        return new ValueTask<BotReply?>(answer(context, cancellationToken));
    }

    public ValueTask TrainAsync(IReadOnlyList<TrainingPair> pairs, CancellationToken cancellationToken)
    {
        Trained.AddRange(pairs);
        return ValueTask.CompletedTask;
    }
}
