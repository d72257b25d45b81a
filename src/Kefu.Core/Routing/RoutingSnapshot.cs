namespace Kefu.Core.Routing;

/// <summary>What the shared routing state is rebuilt from: queued conversations in line order, open ones per agent.</summary>
public sealed record RoutingSnapshot(IReadOnlyList<string> QueuedInOrder, IReadOnlyDictionary<string, IReadOnlyList<string>> OpenByAgent);
