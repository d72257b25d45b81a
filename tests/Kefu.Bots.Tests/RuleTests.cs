using Kefu.Bots.Rules;
using Kefu.Core.Bots;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kefu.Bots.Tests;

public sealed class RuleTests
{
    private static readonly BotReply Hello = BotReply.FromText("hello", 1);

    private static async Task<BotReply?> AnswerAsync(RuleSet rules, string question, string site = "s1", string? team = null) =>
        await new RuleBot(rules, NullLogger<RuleBot>.Instance).AnswerAsync(Contexts.Ask(question, site, team), CancellationToken.None).Within();

    private static RuleSet Rules(params BotRule[] rules)
    {
        var set = new RuleSet();
        set.Replace(rules);
        return set;
    }

    [Theory]
    [InlineData("What are your PRICES?", true)]
    [InlineData("price list please", true)]
    [InlineData("Is it priceless?", false)]
    [InlineData("价格是多少", true)]
    public async Task A_keyword_matches_whole_english_words_and_chinese_substrings(string question, bool matches)
    {
        var rules = Rules(new BotRule("r1", RuleMatchKind.Keyword, ["price", "prices", "价格"], Hello));

        Assert.Equal(matches, await AnswerAsync(rules, question) is not null);
    }

    [Theory]
    [InlineData("Where is my ORDER,  status?", true)]
    [InlineData("order status", true)]
    [InlineData("status of my order", false)]
    public async Task A_phrase_matches_in_order_ignoring_case_punctuation_and_spacing(string question, bool matches)
    {
        var rules = Rules(new BotRule("r1", RuleMatchKind.Phrase, ["order status"], Hello));

        Assert.Equal(matches, await AnswerAsync(rules, question) is not null);
    }

    [Fact]
    public async Task A_regex_rule_replies_with_quick_replies()
    {
        var reply = BotReply.FromOptions("Which order?", [new("Latest", "latest"), new("Older", "older")], 1);
        var rules = Rules(new BotRule("r1", RuleMatchKind.Regex, [@"\border\s*#?\d{6,}\b"], reply));

        var answer = await AnswerAsync(rules, "about order #1234567");

        Assert.Equal(BotReplyKind.QuickReplies, answer?.Kind);
        Assert.Equal(["latest", "older"], answer!.Options.Select(o => o.Value));
        Assert.Equal("r1", answer.SourceId);
        Assert.Null(await AnswerAsync(rules, "about order #12"));
    }

    [Fact]
    public async Task A_catastrophic_regex_finishes_and_does_not_match()
    {
        // (a+)+$ backtracks exponentially on "aaaa…b"; the non-backtracking engine is linear.
        var rules = Rules(new BotRule("evil", RuleMatchKind.Regex, ["^(a+)+$"], Hello));

        Assert.Null(await AnswerAsync(rules, new string('a', 5000) + "b"));
    }

    [Fact]
    public async Task A_backreference_regex_still_works_with_a_timeout()
    {
        var rules = Rules(new BotRule("repeat", RuleMatchKind.Regex, [@"\b(\w+) \1\b"], Hello));

        Assert.NotNull(await AnswerAsync(rules, "hello hello"));
        Assert.Null(await AnswerAsync(rules, "hello world"));
    }

    [Fact]
    public void An_invalid_regex_is_refused_naming_the_rule()
    {
        var error = Assert.Throws<ArgumentException>(() => Rules(new BotRule("broken", RuleMatchKind.Regex, ["(unclosed"], Hello)));

        Assert.Contains("broken", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_higher_priority_rule_wins_and_replies_with_a_card()
    {
        var card = BotReply.FromCard(new BotCard("Sale", "50% off", "https://example.test/sale.png", "https://example.test/sale"), 1);
        var rules = Rules(
            new BotRule("low", RuleMatchKind.Keyword, ["sale"], Hello, Priority: 1),
            new BotRule("high", RuleMatchKind.Keyword, ["sale"], card, Priority: 10));

        var answer = await AnswerAsync(rules, "is there a sale?");

        Assert.Equal("high", answer?.SourceId);
        Assert.Equal(BotReplyKind.Card, answer!.Kind);
        Assert.Equal("Sale", answer.Card?.Title);
    }

    [Fact]
    public async Task Rules_scoped_to_a_site_or_team_apply_only_there()
    {
        var rules = Rules(
            new BotRule("site2", RuleMatchKind.Keyword, ["hours"], Hello, SiteId: "s2"),
            new BotRule("sales", RuleMatchKind.Keyword, ["quote"], Hello, TeamId: "sales"),
            new BotRule("off", RuleMatchKind.Keyword, ["hours"], Hello, Enabled: false));

        Assert.Null(await AnswerAsync(rules, "your hours?", site: "s1"));
        Assert.Equal("site2", (await AnswerAsync(rules, "your hours?", site: "s2"))?.SourceId);
        Assert.Null(await AnswerAsync(rules, "a quote please", team: "support"));
        Assert.Equal("sales", (await AnswerAsync(rules, "a quote please", team: "sales"))?.SourceId);
    }

    [Fact]
    public async Task Upsert_and_remove_apply_to_the_next_message()
    {
        var rules = new RuleSet();
        rules.Upsert(new BotRule("r1", RuleMatchKind.Keyword, ["hi"], Hello));
        Assert.NotNull(await AnswerAsync(rules, "hi"));

        Assert.True(rules.Remove("r1"));
        Assert.Null(await AnswerAsync(rules, "hi"));
    }
}
