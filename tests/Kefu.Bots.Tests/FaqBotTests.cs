using Kefu.Bots.Faq;
using Kefu.Core.Bots;

namespace Kefu.Bots.Tests;

public sealed class FaqBotTests
{
    private static FaqBot Bot(FaqOptions? options = null)
    {
        var index = SampleFaq.Index(options);
        return new FaqBot(new FaqCatalog(new InMemoryFaqStore(), index), TimeProvider.System);
    }

    [Fact]
    public async Task A_confident_match_answers_with_the_entry_text()
    {
        var reply = await Bot().AnswerAsync(Contexts.Ask("忘记密码怎么办"), CancellationToken.None).Within();

        Assert.Equal(BotReplyKind.Text, reply?.Kind);
        Assert.Equal(SampleFaq.Entries[3].Answer, reply!.Text);
        Assert.Equal("password", reply.SourceId);
    }

    [Fact]
    public async Task A_plausible_match_offers_the_top_questions_as_quick_replies_in_the_visitors_language()
    {
        var bot = Bot(new FaqOptions { AnswerThreshold = 0.99, SuggestThreshold = 0.1 });

        var chinese = await bot.AnswerAsync(Contexts.Ask("退款和物流的问题"), CancellationToken.None).Within();
        var english = await bot.AnswerAsync(Contexts.Ask("refund and tracking questions"), CancellationToken.None).Within();

        Assert.Equal(BotReplyKind.QuickReplies, chinese?.Kind);
        Assert.Equal("您是不是想问：", chinese!.Text);
        Assert.InRange(chinese.Options.Count, 2, 3);
        Assert.All(chinese.Options, o => Assert.Equal(o.Label, o.Value));
        Assert.Equal("Did you mean one of these?", english?.Text);
        Assert.True(chinese.Confidence < 0.99);
    }

    [Fact]
    public async Task An_out_of_scope_question_gets_nothing_so_the_next_bot_may_try() =>
        Assert.Null(await Bot().AnswerAsync(Contexts.Ask("推荐一部电影"), CancellationToken.None).Within());

    [Fact]
    public async Task Training_with_a_new_answer_creates_an_entry_that_answers()
    {
        var bot = Bot();

        await bot.TrainAsync([new TrainingPair("s1", "礼品卡怎么充值？", "在“我的-礼品卡”中输入卡密。")], CancellationToken.None).Within();

        var reply = await bot.AnswerAsync(Contexts.Ask("礼品卡怎么充值"), CancellationToken.None).Within();
        Assert.Equal("在“我的-礼品卡”中输入卡密。", reply?.Text);
    }
}
