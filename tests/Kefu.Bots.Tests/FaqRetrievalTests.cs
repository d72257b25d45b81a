using Kefu.Bots.Faq;

namespace Kefu.Bots.Tests;

public sealed class FaqRetrievalTests
{
    private readonly FaqIndex _index = SampleFaq.Index();

    [Theory]
    [InlineData("我要退钱，在哪里操作", "refund")]
    [InlineData("付款后多久能寄出", "ship-time")]
    [InlineData("我的包裹到哪了", "track")]
    [InlineData("登录口令想不起来了", "password")]
    [InlineData("公司报销要票据怎么办", "invoice")]
    public void A_chinese_paraphrase_finds_its_entry(string question, string expected) =>
        Assert.Equal(expected, _index.Search("s1", question).Top?.Entry.Id);

    [Theory]
    [InlineData("I want my money back", "en-refund")]
    [InlineData("can I get reimbursed for my purchase", "en-refund")]
    [InlineData("locked out, I forgot my login credentials", "en-password")]
    [InlineData("where is my parcel, I need the tracking link", "en-track")]
    [InlineData("stop my monthly billing, I don't want to renew", "en-cancel-sub")]
    public void An_english_paraphrase_finds_its_entry(string question, string expected) =>
        Assert.Equal(expected, _index.Search("s1", question).Top?.Entry.Id);

    [Fact]
    public void The_exact_question_is_answered_with_high_confidence()
    {
        var result = _index.Search("s1", "如何申请退款？");

        Assert.Equal(FaqBand.Answer, result.Band);
        Assert.Equal("refund", result.Top!.Entry.Id);
        Assert.InRange(result.Top.Confidence, _index.Options.AnswerThreshold, 1.0);
    }

    [Theory]
    [InlineData("今天天气怎么样")]
    [InlineData("给我讲个笑话")]
    [InlineData("what is the capital of Australia")]
    [InlineData("who won the world cup")]
    public void An_out_of_scope_question_is_not_known(string question) =>
        Assert.Equal(FaqBand.Unknown, _index.Search("s1", question).Band);

    [Fact]
    public void A_partial_match_offers_up_to_three_suggestions_below_the_answer_threshold()
    {
        var index = SampleFaq.Index(new FaqOptions { AnswerThreshold = 0.99, SuggestThreshold = 0.1 });

        var result = index.Search("s1", "退款和物流的问题");

        Assert.Equal(FaqBand.Suggest, result.Band);
        Assert.InRange(result.Matches.Count, 2, 3);
        Assert.All(result.Matches, m => Assert.InRange(m.Confidence, 0.0, 1.0));
    }

    [Fact]
    public void Search_only_returns_entries_of_the_asked_site()
    {
        var result = _index.Search("s2", "如何申请退款？");

        Assert.Equal("other-site", result.Top?.Entry.Id);
        Assert.All(result.Matches, m => Assert.Equal("s2", m.Entry.SiteId));
    }

    [Fact]
    public void A_new_entry_answers_the_very_next_query_and_a_removed_one_never_again()
    {
        Assert.NotEqual("gift", _index.Search("s1", "礼品卡怎么充值").Top?.Entry.Id);

        _index.Upsert(new("gift", "s1", "礼品卡怎么充值？", [], "在“我的-礼品卡”中输入卡密充值。"));
        Assert.Equal("gift", _index.Search("s1", "礼品卡怎么充值").Top?.Entry.Id);

        Assert.True(_index.Remove("gift"));
        Assert.NotEqual("gift", _index.Search("s1", "礼品卡怎么充值").Top?.Entry.Id);
    }

    [Fact]
    public void A_changed_entry_answers_with_its_new_text()
    {
        _index.Upsert(SampleFaq.Entries[1] with { Answer = "今天下单，明天发货。" });

        Assert.Equal("今天下单，明天发货。", _index.Search("s1", "什么时候发货？").Top?.Entry.Answer);
    }

    [Fact]
    public void An_added_alternate_makes_an_unrelated_phrasing_answer()
    {
        const string phrasing = "我的东西寄到哪一站了";
        Assert.True(_index.AddAlternate("track", phrasing));

        var result = _index.Search("s1", phrasing);

        Assert.Equal(FaqBand.Answer, result.Band);
        Assert.Equal("track", result.Top?.Entry.Id);
    }

    [Fact]
    public void An_empty_or_punctuation_only_question_finds_nothing() =>
        Assert.Empty(_index.Search("s1", "？？ ...").Matches);
}
