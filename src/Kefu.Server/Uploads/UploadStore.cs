using System.Collections.Concurrent;
using System.Text.Json;

namespace Kefu.Server.Uploads;

/// <summary>
/// Upload metadata as one JSON sidecar per upload (written to a temp file, then moved over, so a crash
/// leaves the old or the new record, never half of one), and one lock per upload so writes do not interleave.
/// </summary>
internal sealed class UploadStore(UploadPaths paths)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public async Task<UploadRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (!UploadPaths.IsValidId(id))
        {
            return null;
        }
        try
        {
            await using var stream = new FileStream(paths.Sidecar(id), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, FileOptions.Asynchronous);
            return await JsonSerializer.DeserializeAsync(stream, UploadJsonContext.Default.UploadRecord, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    public async Task SaveAsync(UploadRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var target = paths.Sidecar(record.Id);
        var temp = target + ".tmp";
        await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
        {
            await JsonSerializer.SerializeAsync(stream, record, UploadJsonContext.Default.UploadRecord, cancellationToken);
            await stream.FlushAsync(cancellationToken);
        }
        File.Move(temp, target, overwrite: true);
    }

    public void Delete(string id)
    {
        File.Delete(paths.Sidecar(id));
        _locks.TryRemove(id, out _);
    }

    /// <summary>Ids of every stored upload, from their sidecars.</summary>
    public IEnumerable<string> ListIds() =>
        Directory.EnumerateFiles(paths.Root, "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>().Where(UploadPaths.IsValidId);

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
