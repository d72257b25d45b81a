using Kefu.Bots.Faq;
using Kefu.Bots.Learning;
using Kefu.Core.Bots;

namespace Kefu.Bots.Tests;

public sealed class LearningLoopTests
{
    private readonly InMemoryFaqStore _faqStore = new(SampleFaq.Entries);
    private readonly FaqCatalog _catalog;
    private readonly FaqIndex _index;
    private readonly InMemoryLearningStore _store = new();
    private readonly LearningLoop _loop;

    public LearningLoopTests()
    {
        _catalog = SampleFaq.Catalog(_faqStore);
        _index = _catalog.Index;
        _loop = new LearningLoop(_store, _catalog, TimeProvider.System);
    }

    [Fact]
    public async Task An_unanswered_question_followed_by_an_agent_reply_becomes_a_pending_suggestion()
    {
        await _loop.RecordUnansweredAsync(Contexts.Ask("礼品卡怎么充值", conversationId: "c9"), CancellationToken.None).Within();

        var suggestion = await _loop.OnAgentReplyAsync("c9", "在“我的-礼品卡”中输入卡密即可充值。", CancellationToken.None).Within();

        Assert.NotNull(suggestion);
        Assert.Equal(("礼品卡怎么充值", SuggestionStatus.Pending, "s1"), (suggestion.Question, suggestion.Status, suggestion.SiteId));
        Assert.Single(await _store.ListSuggestionsAsync("s1", SuggestionStatus.Pending, CancellationToken.None).Within());
    }

    [Fact]
    public async Task An_agent_reply_without_an_open_question_suggests_nothing() =>
        Assert.Null(await _loop.OnAgentReplyAsync("c-none", "hello", CancellationToken.None).Within());

    [Fact]
    public async Task Approving_a_new_question_makes_the_next_paraphrase_answer()
    {
        const string question = "礼品卡怎么充值";
        Assert.NotEqual(FaqBand.Answer, _index.Search("s1", question).Band);
        await _loop.RecordUnansweredAsync(Contexts.Ask(question, conversationId: "c1"), CancellationToken.None).Within();
        var suggestion = await _loop.OnAgentReplyAsync("c1", "在“我的-礼品卡”中输入卡密即可充值。", CancellationToken.None).Within();

        var entry = await _loop.ApproveAsync(suggestion!.Id, CancellationToken.None).Within();

        var result = _index.Search("s1", "礼品卡如何充值？");
        Assert.Equal(FaqBand.Answer, result.Band);
        Assert.Equal(entry!.Id, result.Top?.Entry.Id);
        Assert.Equal("在“我的-礼品卡”中输入卡密即可充值。", result.Top?.Entry.Answer);
        Assert.Equal(SuggestionStatus.Approved, (await _store.GetSuggestionAsync(suggestion.Id, CancellationToken.None).Within())?.Status);
    }

    [Fact]
    public async Task An_approved_entry_is_stored_and_answers_after_a_restart()
    {
        await _loop.RecordUnansweredAsync(Contexts.Ask("礼品卡怎么充值", conversationId: "c5"), CancellationToken.None).Within();
        var suggestion = await _loop.OnAgentReplyAsync("c5", "在“我的-礼品卡”中输入卡密即可充值。", CancellationToken.None).Within();
        var entry = await _loop.ApproveAsync(suggestion!.Id, CancellationToken.None).Within();

        var restarted = new FaqCatalog(_faqStore, new FaqIndex());
        await restarted.LoadAsync(CancellationToken.None).Within();

        Assert.Equal(entry!.Id, restarted.Index.Search("s1", "礼品卡如何充值？").Top?.Entry.Id);
    }

    [Fact]
    public async Task Approving_with_a_target_adds_the_question_as_an_alternate_of_that_entry()
    {
        const string question = "my sign-in secret stopped working";
        await _loop.RecordUnansweredAsync(Contexts.Ask(question, conversationId: "c2"), CancellationToken.None).Within();
        var suggestion = await _loop.OnAgentReplyAsync("c2", "Use Forgot password on the sign-in page.", CancellationToken.None).Within();
        await _loop.EditAsync(suggestion!.Id, question, suggestion.Answer, "en-password", CancellationToken.None).Within();

        var entry = await _loop.ApproveAsync(suggestion.Id, CancellationToken.None).Within();

        Assert.Equal("en-password", entry?.Id);
        Assert.Contains(question, entry!.Alternates);
        var result = _index.Search("s1", "sign-in secret stopped working");
        Assert.Equal(FaqBand.Answer, result.Band);
        Assert.Equal("en-password", result.Top?.Entry.Id);
    }

    [Fact]
    public async Task A_rejected_suggestion_changes_nothing_and_cannot_be_approved_later()
    {
        await _loop.RecordUnansweredAsync(Contexts.Ask("礼品卡怎么充值", conversationId: "c3"), CancellationToken.None).Within();
        var suggestion = await _loop.OnAgentReplyAsync("c3", "稍等", CancellationToken.None).Within();
        var before = _index.Count;

        Assert.True(await _loop.RejectAsync(suggestion!.Id, CancellationToken.None).Within());

        Assert.Null(await _loop.ApproveAsync(suggestion.Id, CancellationToken.None).Within());
        Assert.Equal(before, _index.Count);
    }

    [Fact]
    public async Task Training_the_faq_bot_adds_a_phrasing_to_the_entry_with_the_same_answer()
    {
        var bot = new FaqBot(_catalog, TimeProvider.System);
        var answer = SampleFaq.Entries[0].Answer;

        await bot.TrainAsync([new TrainingPair("s1", "钱可以原路返回吗", answer)], CancellationToken.None).Within();

        Assert.Contains("钱可以原路返回吗", _index.Get("refund")!.Alternates);
        Assert.Contains(await _faqStore.ListAsync("s1", CancellationToken.None).Within(), e => e.Alternates.Contains("钱可以原路返回吗"));
        var reply = await bot.AnswerAsync(Contexts.Ask("钱可以原路返回吗"), CancellationToken.None).Within();
        Assert.Equal(answer, reply?.Text);
    }
}
