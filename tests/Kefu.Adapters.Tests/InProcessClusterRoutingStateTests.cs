using Kefu.Core.Routing;

namespace Kefu.Adapters.Tests;

public sealed class InProcessClusterRoutingStateTests : ClusterRoutingStateSpecification
{
    protected override IClusterRoutingState CreateState() => new LosableState(() => new InProcessClusterRoutingState(Time, ReservationLifetime));

    protected override Task LoseAsync(IClusterRoutingState state)
    {
        ((LosableState)state).Lose();
        return Task.CompletedTask;
    }

    /// <summary>Losing the in-process state means starting a fresh one, as a restarted process would.</summary>
    private sealed class LosableState(Func<InProcessClusterRoutingState> create) : IClusterRoutingState
    {
        private InProcessClusterRoutingState _inner = create();

        public void Lose() => _inner = create();

        public Task<long?> TicketAsync(string conversationId, CancellationToken cancellationToken) => _inner.TicketAsync(conversationId, cancellationToken);

        public Task DropTicketAsync(string conversationId, CancellationToken cancellationToken) => _inner.DropTicketAsync(conversationId, cancellationToken);

        public Task<ReservationOutcome> TryReserveAsync(string agentId, string conversationId, int capacity, CancellationToken cancellationToken) =>
            _inner.TryReserveAsync(agentId, conversationId, capacity, cancellationToken);

        public Task ConfirmAsync(string agentId, string conversationId, CancellationToken cancellationToken) => _inner.ConfirmAsync(agentId, conversationId, cancellationToken);

        public Task ReleaseAsync(string agentId, string conversationId, CancellationToken cancellationToken) => _inner.ReleaseAsync(agentId, conversationId, cancellationToken);

        public Task ResetLoadAsync(string agentId, IReadOnlyCollection<string> openConversationIds, CancellationToken cancellationToken) =>
            _inner.ResetLoadAsync(agentId, openConversationIds, cancellationToken);

        public Task<int> LoadOfAsync(string agentId, CancellationToken cancellationToken) => _inner.LoadOfAsync(agentId, cancellationToken);

        public Task<bool> RebuildAsync(RoutingSnapshot snapshot, CancellationToken cancellationToken) => _inner.RebuildAsync(snapshot, cancellationToken);

        public Task<string?> GenerationAsync(CancellationToken cancellationToken) => _inner.GenerationAsync(cancellationToken);
    }
}
