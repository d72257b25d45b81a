using System.Diagnostics;
using System.Threading.Channels;
using Kefu.Core.Diagnostics;
using Kefu.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Kefu.Storage.Sqlite.Writing;

/// <summary>
/// The single writer: a queue of write ops drained by one dedicated thread on one connection. It takes up
/// to <see cref="SqliteStoreOptions.MaxBatchSize"/> queued ops, runs them in one transaction, commits
/// (durable), then, in order, hands each op's changes to the observer and completes the ops (group commit).
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private readonly SqliteConnections _connections;
    private readonly SqliteStoreOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly IStoreObserver _observer;
    private readonly ILogger _logger;
    private readonly Channel<WriteOp> _queue;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<StoreChange> _publish;
    private readonly SqliteCheckpointer _checkpointer;
    private WriterSession? _session;

    public SqliteWriter(SqliteConnections connections, SqliteStoreOptions options, TimeProvider timeProvider, IStoreObserver observer, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxQueuedWrites, 1);
        _connections = connections;
        _options = options;
        _timeProvider = timeProvider;
        _observer = observer;
        _logger = logger;
        _publish = Publish;
        _queue = Channel.CreateBounded<WriteOp>(new BoundedChannelOptions(options.MaxQueuedWrites)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _checkpointer = new SqliteCheckpointer(connections, options.CheckpointDelay, logger);
        // SQLite blocks for the length of an fsync; a thread of its own keeps that off the thread pool.
        new Thread(Run) { IsBackground = true, Name = "Kefu SQLite writer" }.Start();
    }

    public Task<T> EnqueueAsync<T>(WriteOp<T> op, CancellationToken cancellationToken)
    {
        if (_queue.Writer.TryWrite(op))
        {
            return cancellationToken.CanBeCanceled ? op.Task.WaitAsync(cancellationToken) : op.Task;
        }
        return EnqueueSlowAsync(op, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        // Ops already queued still run: a graceful stop loses no acknowledged-to-be write.
        _queue.Writer.TryComplete();
        await _stopped.Task;
        _checkpointer.Dispose();
    }

    private async Task<T> EnqueueSlowAsync<T>(WriteOp<T> op, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(op, cancellationToken);
        }
        catch (ChannelClosedException exception)
        {
            throw new StoreUnavailableException("The store is stopped.", exception);
        }
        return await op.Task.WaitAsync(cancellationToken);
    }

    private void Run()
    {
        var batch = new List<WriteOp>();
        var reader = _queue.Reader;
        try
        {
            while (WaitToRead(reader))
            {
                // A list per batch: the batch is settled on the thread pool while the next one runs.
                batch = new List<WriteOp>(Math.Min(reader.CanCount ? reader.Count : 16, _options.MaxBatchSize));
                while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var op))
                {
                    batch.Add(op);
                }
                RunBatch(new BatchRunner(batch, _logger));
            }
        }
#pragma warning disable CA1031 // The writer thread must report, not die silently.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _logger.WriterStopped(exception);
            _queue.Writer.TryComplete(exception);
            var stopped = new StoreUnavailableException("The store's writer stopped.", exception);
            foreach (var op in batch)
            {
                op.Fail(stopped);
            }
            while (reader.TryRead(out var queued))
            {
                queued.Fail(stopped);
            }
        }
        finally
        {
            _session?.Dispose();
            _session = null;
            _stopped.TrySetResult();
        }
    }

    private static bool WaitToRead(ChannelReader<WriteOp> reader)
    {
        var wait = reader.WaitToReadAsync();
        return wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    private void RunBatch(BatchRunner batch)
    {
        var started = Stopwatch.GetTimestamp();
        WriterSession session;
        try
        {
            session = _session ??= new WriterSession(_connections.OpenWrite(), _timeProvider, _options.ConversationCacheSize);
            session.Begin();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            _logger.BatchFailed(exception, batch.Count);
            KefuMetrics.StoreErrors.Add(1);
            ResetSession();
            batch.FailAll(exception);
            return;
        }

        if (!batch.ExecuteAll(session))
        {
            ResetSession();
            return;
        }

        try
        {
            session.Commit();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Nothing of the batch is durable: fail every op and forget what the cache learned from it.
            _logger.CommitFailed(exception, batch.Count);
            KefuMetrics.StoreErrors.Add(1);
            ResetSession();
            batch.FailAll(exception);
            return;
        }
        KefuMetrics.CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        KefuMetrics.CommitBatchSize.Record(batch.Count);
        _checkpointer.Committed();
        batch.CompleteAll(_publish);
    }

    private void ResetSession()
    {
        var session = _session;
        _session = null;
        if (session is null)
        {
            return;
        }
        try
        {
            session.TryRollback();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            _logger.RollbackFailed(exception);
        }
        session.Dispose();
    }

    private void Publish(StoreChange change)
    {
        try
        {
            _observer.OnCommitted(change);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The change is durable; a failing observer delays fan-out (clients heal by seq), it never undoes it.
            _logger.ObserverFailed(exception, change.Conversation.Id);
        }
    }
}
