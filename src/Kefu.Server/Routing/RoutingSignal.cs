using Kefu.Core.Storage;

namespace Kefu.Server.Routing;

/// <summary>Something routing must react to: a committed conversation change, or an agent whose availability or profile changed.</summary>
/// <remarks>
/// <see cref="TenantId"/> alone: the tenant's teams changed. <see cref="Elsewhere"/>: the conversation change
/// was committed by another node, read back from the store with its routing requirements.
/// </remarks>
internal sealed record RoutingSignal(Conversation? Conversation, string? AgentId, bool AgentWentOffline = false, string? TenantId = null, RoutableConversation? Elsewhere = null);
