namespace Kefu.Server.Agents;

/// <summary>Body and answer of <c>/api/v1/agents/me/status</c>: <c>online</c>, <c>away</c> or <c>offline</c>.</summary>
internal sealed record AgentStatusRequest(string? Status);
