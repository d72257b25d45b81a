namespace Kefu.Server.Routing;

/// <summary>Transfer to <see cref="AgentId"/>, or else to <see cref="Team"/> (id or name), with an optional note for the history.</summary>
internal sealed record TransferRequest(string? AgentId, string? Team, string? Note);
