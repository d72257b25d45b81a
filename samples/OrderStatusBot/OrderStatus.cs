namespace Kefu.Samples.OrderStatusBot;

/// <summary>What the company's order system says about an order.</summary>
public sealed record OrderStatus(string OrderNumber, string State, string? TrackingUrl);
