namespace Kefu.Core.Leases;

/// <summary>
/// Decides which node of a deployment runs a periodic job (the inactivity sweep, for example), so that a
/// job's effects happen once however many nodes run. A node asks before each run; the answer is true while
/// this node holds the job's lease, which it takes when free and keeps until its process, or its link to
/// the store, ends; another node then takes it on its next run. Callers of one job are serialized by the
/// job's own loop; implementations must allow calls for different jobs at once.
/// </summary>
public interface IJobLease
{
    /// <summary>Whether this node holds the lease of <paramref name="job"/> now, taking it when free.</summary>
    Task<bool> HoldAsync(string job, CancellationToken cancellationToken);
}
