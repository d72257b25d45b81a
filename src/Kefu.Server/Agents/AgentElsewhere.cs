namespace Kefu.Server.Agents;

/// <summary>What this node last learned of an agent on other nodes: held there or not, and its chosen status.</summary>
internal sealed record AgentElsewhere(bool Present, string Chosen, bool SeenPresent);
