using Microsoft.Extensions.Options;

namespace Kefu.Server.Uploads;

/// <summary>Removes partial uploads past their expiry (tus expiration), every <c>Kefu:Uploads:CleanupSeconds</c>.</summary>
internal sealed class UploadCleanup(UploadStore store, IFileStorage storage, IOptions<UploadOptions> options, TimeProvider time, ILogger<UploadCleanup> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CleanupSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var removed = await SweepAsync(stoppingToken);
                if (removed > 0)
                {
                    UploadLog.Expired(logger, removed);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException || Realtime.FrameDispatcher.IsStoreFailure(ex))
            {
                UploadLog.SweepFailed(logger, ex);
            }
        }
    }

    /// <summary>One sweep; returns how many uploads it removed.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var id in await store.ListExpiredAsync(time.GetUtcNow(), cancellationToken))
        {
            // A PATCH in progress renews the expiry; skip an upload that is being written right now.
            using var gate = await store.LockAsync(id, TimeSpan.Zero, cancellationToken);
            if (gate is null)
            {
                continue;
            }
            // Read again under the lock: a PATCH that just finished may have renewed or completed it.
            var record = await store.FindAsync(id, cancellationToken);
            if (record is null || record.Complete || record.ExpiresAt > time.GetUtcNow())
            {
                continue;
            }
            await storage.DeleteAsync(id, cancellationToken);
            await store.DeleteAsync(id, cancellationToken);
            removed++;
        }
        return removed;
    }
}
