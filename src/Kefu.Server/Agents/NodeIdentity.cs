namespace Kefu.Server.Agents;

/// <summary>This process's name among the nodes of a deployment: new at every start, so a restarted node never inherits a dead one's entries.</summary>
internal sealed class NodeIdentity
{
    public string Id { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";
}
