namespace Kefu.Samples.OrderStatusBot;

/// <summary>Answers from a fixed list, for trying the bot without an order system.</summary>
public sealed class FixedOrderLookup(IReadOnlyDictionary<string, OrderStatus> orders) : IOrderLookup
{
    public ValueTask<OrderStatus?> FindAsync(string tenantId, string orderNumber, CancellationToken cancellationToken) =>
        ValueTask.FromResult(orders.GetValueOrDefault(orderNumber));
}
