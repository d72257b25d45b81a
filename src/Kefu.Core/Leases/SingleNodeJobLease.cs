namespace Kefu.Core.Leases;

/// <summary>The lease of a deployment of one node (the SQLite store): this node always runs every job.</summary>
public sealed class SingleNodeJobLease : IJobLease
{
    public Task<bool> HoldAsync(string job, CancellationToken cancellationToken) => Task.FromResult(true);
}
