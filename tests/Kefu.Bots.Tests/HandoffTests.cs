using Kefu.Bots.Chain;
using Kefu.Bots.Handoff;

namespace Kefu.Bots.Tests;

public sealed class HandoffTests
{
    private readonly HandoffBot _bot = new();

    [Theory]
    [InlineData("人工")]
    [InlineData("转人工")]
    [InlineData("人工客服")]
    [InlineData("我要人工客服！")]
    [InlineData("帮我转人工吧")]
    [InlineData("你这机器人不行，找真人")]
    [InlineData("human")]
    [InlineData("Agent please")]
    [InlineData("I want to talk to a person")]
    [InlineData("can I speak to someone real? talk to a human")]
    [InlineData("Ｈｕｍａｎ")]
    public async Task A_request_for_a_human_is_a_handoff(string message)
    {
        var reply = await _bot.AnswerAsync(Contexts.Ask(message), CancellationToken.None).Within();

        Assert.True(reply?.Handoff);
        Assert.Equal(1.0, reply!.Confidence);
    }

    [Theory]
    [InlineData("人工客服几点上班？")]
    [InlineData("how do I add an agent to my team")]
    [InlineData("is the human resources page down")]
    [InlineData("怎么退款")]
    public async Task A_question_that_mentions_agents_is_not_a_handoff(string message) =>
        Assert.Null(await _bot.AnswerAsync(Contexts.Ask(message), CancellationToken.None).Within());

    [Fact]
    public void Three_failed_answers_in_a_row_hand_off_and_an_answer_resets_the_count()
    {
        var policy = new HandoffPolicy(new HandoffPolicyOptions { MaxFailuresInARow = 3 });

        var first = policy.Next(0, BotOutcome.Unknown);
        var second = policy.Next(first.FailuresInARow, BotOutcome.Suggested);
        var reset = policy.Next(second.FailuresInARow, BotOutcome.Answered);
        var a = policy.Next(reset.FailuresInARow, BotOutcome.Unknown);
        var b = policy.Next(a.FailuresInARow, BotOutcome.Unknown);
        var third = policy.Next(b.FailuresInARow, BotOutcome.Unknown);

        Assert.Equal((1, false), (first.FailuresInARow, first.Handoff));
        Assert.Equal((2, false), (second.FailuresInARow, second.Handoff));
        Assert.Equal((0, false), (reset.FailuresInARow, reset.Handoff));
        Assert.True(third.Handoff);
    }

    [Fact]
    public void Suggestions_need_not_count_as_failures()
    {
        var policy = new HandoffPolicy(new HandoffPolicyOptions { MaxFailuresInARow = 1, CountSuggestionsAsFailures = false });

        Assert.False(policy.Next(0, BotOutcome.Suggested).Handoff);
        Assert.True(policy.Next(0, BotOutcome.Unknown).Handoff);
    }

    [Fact]
    public void An_explicit_request_hands_off_whatever_the_count() =>
        Assert.True(new HandoffPolicy().Next(0, BotOutcome.Handoff).Handoff);
}
