namespace Kefu.Samples.OrderStatusBot;

/// <summary>The company's own order system (an HTTP API, a database); the sample ships a fixed one.</summary>
public interface IOrderLookup
{
    ValueTask<OrderStatus?> FindAsync(string tenantId, string orderNumber, CancellationToken cancellationToken);
}
