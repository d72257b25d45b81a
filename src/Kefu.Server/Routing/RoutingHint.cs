namespace Kefu.Server.Routing;

/// <summary>
/// What the entry point asked for when a visitor's conversation starts: skills, priority, and the agent who served the
/// visitor last. <see cref="Announce"/>: the conversation joins the queue later in its life (the bot handed it over)
/// and gets the notices a new one gets (<c>outsideBusinessHours</c>, <c>agentsAway</c>).
/// </summary>
internal sealed record RoutingHint(IReadOnlyList<string> Skills, int Priority, string? PreferredAgentId, bool Announce = false);
