using Kefu.Core.Messaging;

namespace Kefu.Server.Realtime;

/// <summary>
/// Delivers bus events to this node's connections. Visitors receive their own conversations; agents the
/// conversations assigned to them and those they watch, or every event flagged for the whole tenant.
/// Agents and visitors never share a connection, so no recipient is reached twice.
/// </summary>
internal sealed class BusDelivery(IMessageBus bus, ConnectionRegistry registry) : IHostedService
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = bus.Subscribe(Deliver);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    internal void Deliver(BusEvent busEvent)
    {
        var frame = new Outgoing(busEvent.Frame, busEvent.ConversationId, busEvent.Seq);
        var audience = busEvent.Audience;
        var excluded = audience.ExcludeUserId;
        if (audience.VisitorId is not null && audience.VisitorId != excluded)
        {
            foreach (var connection in registry.OfUser(audience.VisitorId))
            {
                connection.Enqueue(frame);
            }
        }
        if (audience.TenantAgents)
        {
            foreach (var connection in registry.AgentsOfTenant(busEvent.TenantId))
            {
                if (connection.Caller?.UserId != excluded)
                {
                    connection.Enqueue(frame);
                }
            }
            return;
        }
        if (audience.AssigneeId is not null && audience.AssigneeId != excluded)
        {
            foreach (var connection in registry.OfUser(audience.AssigneeId))
            {
                connection.Enqueue(frame);
            }
        }
        var also = audience.AlsoUserId;
        var alsoIsNew = also is not null && also != audience.VisitorId && also != audience.AssigneeId && also != excluded;
        if (busEvent.ConversationId is not null)
        {
            foreach (var connection in registry.WatchersOf(busEvent.ConversationId))
            {
                var userId = connection.Caller?.UserId;
                if (userId != audience.AssigneeId && userId != excluded && !(alsoIsNew && userId == also))
                {
                    connection.Enqueue(frame);
                }
            }
        }
        if (alsoIsNew)
        {
            foreach (var connection in registry.OfUser(also!))
            {
                connection.Enqueue(frame);
            }
        }
    }
}
