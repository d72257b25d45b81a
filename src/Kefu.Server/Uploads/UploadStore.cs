using System.Collections.Concurrent;
using Kefu.Core.Storage;

namespace Kefu.Server.Uploads;

/// <summary>
/// Upload metadata in the store (shared by every node), and one lock per upload on this node so that writes to
/// one upload do not interleave. Ids are checked before they reach the store.
/// </summary>
internal sealed class UploadStore(IUploadStore store)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public async Task<StoredUpload?> FindAsync(string id, CancellationToken cancellationToken) =>
        UploadPaths.IsValidId(id) ? await store.FindUploadAsync(id, cancellationToken) : null;

    public Task SaveAsync(StoredUpload record, CancellationToken cancellationToken) => store.SaveUploadAsync(record, cancellationToken);

    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await store.DeleteUploadAsync(id, cancellationToken);
        _locks.TryRemove(id, out _);
    }

    /// <summary>Incomplete uploads past their expiry.</summary>
    public Task<IReadOnlyList<string>> ListExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        store.ListExpiredUploadsAsync(now, 1000, cancellationToken);

    /// <summary>Takes the upload's lock; null when it stays held (another write is still running) past the wait.</summary>
    public async Task<IDisposable?> LockAsync(string id, TimeSpan wait, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));
        return await gate.WaitAsync(wait, cancellationToken) ? new Releaser(gate) : null;
    }

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
