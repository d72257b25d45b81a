using System.Text.RegularExpressions;
using Kefu.Core.Bots;

namespace Kefu.Samples.OrderStatusBot;

/// <summary>
/// A bot plug-in written outside the server: when a visitor mentions an order number, it looks the
/// order up and answers with a card. It returns null for anything else, so the next bot in the chain
/// (rules, FAQ) answers instead. Register it in the server's chain like any other <see cref="IBot"/>.
/// </summary>
public sealed partial class OrderStatusBot(IOrderLookup orders) : IBot
{
    public string Name => "order-status";

    public async ValueTask<BotReply?> AnswerAsync(BotContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var match = OrderNumber().Match(context.Question);
        if (!match.Success)
        {
            return null;
        }
        var order = await orders.FindAsync(context.TenantId, match.Value, cancellationToken);
        if (order is null)
        {
            // Sure it is an order number, unsure of the answer: let a human check.
            return BotReply.FromText($"I can't find order {match.Value}; let me get a colleague to check.", 0.9) with { Handoff = true };
        }
        var card = new BotCard($"Order {order.OrderNumber}", order.State, Url: order.TrackingUrl);
        return BotReply.FromCard(card, 0.95) with { SourceId = "order:" + order.OrderNumber };
    }

    public ValueTask TrainAsync(IReadOnlyList<TrainingPair> pairs, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    // Ten or more digits, the shape of this shop's order numbers; a generated regex, so no ReDoS.
    [GeneratedRegex(@"\b\d{10,}\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 50)]
    private static partial Regex OrderNumber();
}
