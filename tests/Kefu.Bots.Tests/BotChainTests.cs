using Kefu.Bots.Chain;
using Kefu.Core.Bots;

namespace Kefu.Bots.Tests;

public sealed class BotChainTests
{
    // Generous, so a loaded machine never turns an answer into a timeout; tests of timeouts use Short, where only
    // the bot that answers after a skipped one ("next") keeps the generous budget: with a thread held by a
    // blocking bot, a starved pool may start it only after the thread pool has grown.
    private static readonly BotChainOptions Generous = new() { PerBotTimeout = TimeSpan.FromSeconds(5) };
    private static readonly BotChainOptions Short = new()
    {
        PerBotTimeout = TimeSpan.FromMilliseconds(300),
        Timeouts = new Dictionary<string, TimeSpan> { ["next"] = Generous.PerBotTimeout },
    };
    private readonly ListLogger<BotChain> _logger = new();

    private BotChain Chain(params IBot[] bots) => new(bots, Generous, TimeProvider.System, _logger);

    private BotChain ShortChain(params IBot[] bots) => new(bots, Short, TimeProvider.System, _logger);

    [Fact]
    public async Task The_first_confident_answer_wins_and_later_bots_are_not_asked()
    {
        var unsure = ScriptedBot.Replying("unsure", BotReply.FromText("maybe", 0.3));
        var sure = ScriptedBot.Replying("sure", BotReply.FromText("yes", 0.9));
        var never = ScriptedBot.Replying("never", BotReply.FromText("late", 1.0));

        var result = await Chain(unsure, sure, never).AnswerAsync(Contexts.Ask("q"), CancellationToken.None).Within();

        Assert.Equal(BotOutcome.Answered, result.Outcome);
        Assert.Equal("sure", result.BotName);
        Assert.Equal("yes", result.Reply?.Text);
        Assert.Equal(0, never.Calls);
    }

    [Fact]
    public async Task A_throwing_bot_is_skipped_and_logged()
    {
        var throwing = new ScriptedBot("throws", (_, _) => throw new InvalidOperationException("boom"));
        var next = ScriptedBot.Replying("next", BotReply.FromText("ok", 1));

        var result = await Chain(throwing, next).AnswerAsync(Contexts.Ask("q"), CancellationToken.None).Within();

        Assert.Equal("next", result.BotName);
        Assert.Contains(_logger.Events, e => e.Id == 7001);
    }

    [Fact]
    public async Task A_bot_that_ignores_cancellation_and_never_answers_is_skipped_after_its_timeout()
    {
        var hanging = new ScriptedBot("hangs", async (_, _) =>
        {
            await Task.Delay(Timeout.Infinite, CancellationToken.None);
            return null;
        });
        var next = ScriptedBot.Replying("next", BotReply.FromText("ok", 1));

        var result = await ShortChain(hanging, next).AnswerAsync(Contexts.Ask("q"), CancellationToken.None).Within();

        Assert.Equal("next", result.BotName);
        Assert.Contains(_logger.Events, e => e.Id == 7002);
    }

    [Fact]
    public async Task A_bot_that_blocks_its_thread_does_not_block_the_chain()
    {
        using var release = new ManualResetEventSlim();
        var blocking = new ScriptedBot("blocks", (_, _) =>
        {
            release.Wait(Bounded.Timeout, CancellationToken.None);
            return Task.FromResult<BotReply?>(null);
        });
        var next = ScriptedBot.Replying("next", BotReply.FromText("ok", 1));
        try
        {
            var result = await ShortChain(blocking, next).AnswerAsync(Contexts.Ask("q"), CancellationToken.None).Within();

            Assert.Equal("next", result.BotName);
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public async Task A_per_bot_timeout_overrides_the_default()
    {
        var slow = new ScriptedBot("slow", async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(400), ct);
            return BotReply.FromText("worth the wait", 1);
        });
        var options = Short with { Timeouts = new Dictionary<string, TimeSpan> { ["slow"] = Bounded.Timeout } };

        var result = await new BotChain([slow], options, TimeProvider.System, _logger).AnswerAsync(Contexts.Ask("q"), CancellationToken.None).Within();

        Assert.Equal("slow", result.BotName);
    }

    [Fact]
    public async Task With_no_confident_answer_the_best_suggestions_are_offered()
    {
        var weak = ScriptedBot.Replying("weak", BotReply.FromOptions("did you mean", [new("a", "a")], 0.5));
        var better = ScriptedBot.Replying("better", BotReply.FromOptions("did you mean", [new("b", "b")], 0.6));
        var text = ScriptedBot.Replying("text", BotReply.FromText("a guess", 0.7));

        var result = await Chain(weak, better, text).AnswerAsync(Contexts.Ask("q"), CancellationToken.None).Within();

        Assert.Equal(BotOutcome.Suggested, result.Outcome);
        Assert.Equal("better", result.BotName);
    }

    [Fact]
    public async Task Nothing_confident_and_no_suggestions_is_unknown()
    {
        var result = await Chain(ScriptedBot.Replying("none", null), ScriptedBot.Replying("low", BotReply.FromText("?", 0.1)))
            .AnswerAsync(Contexts.Ask("q"), CancellationToken.None).Within();

        Assert.Equal(BotOutcome.Unknown, result.Outcome);
        Assert.Null(result.Reply);
    }

    [Fact]
    public async Task A_confident_handoff_reply_is_a_handoff()
    {
        var handoff = ScriptedBot.Replying("h", BotReply.FromText("connecting", 1) with { Handoff = true });

        var result = await Chain(handoff).AnswerAsync(Contexts.Ask("q"), CancellationToken.None).Within();

        Assert.Equal(BotOutcome.Handoff, result.Outcome);
    }

    [Fact]
    public async Task Training_reaches_every_bot_even_after_one_fails()
    {
        var failing = new FailingTrainer();
        var learner = ScriptedBot.Replying("learner", null);

        await Chain(failing, learner).TrainAsync([new TrainingPair("s1", "q", "a")], CancellationToken.None).Within();

        Assert.Single(learner.Trained);
    }

    private sealed class FailingTrainer : IBot
    {
        public string Name => "failing-trainer";

        public ValueTask<BotReply?> AnswerAsync(BotContext context, CancellationToken cancellationToken) => ValueTask.FromResult<BotReply?>(null);

        public ValueTask TrainAsync(IReadOnlyList<TrainingPair> pairs, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("cannot learn");
    }
}
