using Kefu.Bots.Chain;
using Kefu.Bots.Faq;
using Kefu.Bots.Handoff;
using Kefu.Core.Bots;
using Kefu.Samples.OrderStatusBot;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kefu.Bots.Tests;

/// <summary>The sample plug-in, built against Kefu.Core only, runs in the chain beside the built-in bots.</summary>
public sealed class SamplePluginTests
{
    private readonly BotChain _chain = new(
        [
            new HandoffBot(),
            new OrderStatusBot(new FixedOrderLookup(new Dictionary<string, OrderStatus>
            {
                ["2024000001"] = new("2024000001", "Shipped", "https://example.test/track/1"),
            })),
            new FaqBot(SampleFaq.Catalog(), TimeProvider.System),
        ],
        new BotChainOptions(),
        TimeProvider.System,
        NullLogger<BotChain>.Instance);

    [Fact]
    public async Task An_order_number_is_answered_by_the_plugin_with_a_card()
    {
        var result = await _chain.AnswerAsync(Contexts.Ask("where is order 2024000001?"), CancellationToken.None).Within();

        Assert.Equal(("order-status", BotReplyKind.Card), (result.BotName, result.Reply?.Kind));
        Assert.Equal("Shipped", result.Reply!.Card?.Description);
    }

    [Fact]
    public async Task An_unknown_order_number_hands_off()
    {
        var result = await _chain.AnswerAsync(Contexts.Ask("order 9999999999 never came"), CancellationToken.None).Within();

        Assert.Equal(BotOutcome.Handoff, result.Outcome);
    }

    [Fact]
    public async Task Other_questions_fall_through_to_the_faq()
    {
        var result = await _chain.AnswerAsync(Contexts.Ask("如何申请退款？"), CancellationToken.None).Within();

        Assert.Equal(("faq", BotOutcome.Answered), (result.BotName, result.Outcome));
    }

    [Fact]
    public async Task A_request_for_a_human_comes_before_everything_else()
    {
        var result = await _chain.AnswerAsync(Contexts.Ask("转人工"), CancellationToken.None).Within();

        Assert.Equal(("handoff", BotOutcome.Handoff), (result.BotName, result.Outcome));
    }
}
