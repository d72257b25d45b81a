using System.Diagnostics;
using System.Threading.Channels;
using Kefu.Core.Diagnostics;
using Kefu.Core.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Kefu.Storage.Postgres.Writing;

/// <summary>
/// This node's writer: a queue of write ops drained by one loop. It takes up to
/// <see cref="PostgresStoreOptions.MaxBatchSize"/> queued ops, runs them in one transaction (locking the
/// conversations they touch in id order, so other nodes' batches wait their turn instead of deadlocking),
/// commits (durable: <c>synchronous_commit=on</c>), then, in order, hands each op's changes to the observer
/// and completes it (group commit).
/// </summary>
internal sealed class PostgresWriter : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresStoreOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly IStoreObserver _observer;
    private readonly ILogger _logger;
    private readonly Channel<WriteOp> _queue;
    private readonly Action<StoreChange> _publish;
    private readonly Task _loop;

    public PostgresWriter(NpgsqlDataSource dataSource, PostgresStoreOptions options, TimeProvider timeProvider, IStoreObserver observer, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxQueuedWrites, 1);
        _dataSource = dataSource;
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
        _loop = Task.Run(RunAsync);
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
        await _loop;
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

    private async Task RunAsync()
    {
        var batch = new List<WriteOp>();
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync())
            {
                // A list per batch: the batch is settled on the thread pool while the next one runs.
                batch = new List<WriteOp>(Math.Min(reader.CanCount ? reader.Count : 16, _options.MaxBatchSize));
                while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var op))
                {
                    batch.Add(op);
                }
                await RunBatchAsync(new BatchRunner(batch, _logger));
            }
        }
#pragma warning disable CA1031 // The writer loop must report, not die silently.
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
    }

    private async Task RunBatchAsync(BatchRunner batch)
    {
        var started = Stopwatch.GetTimestamp();
        NpgsqlConnection? connection = null;
        try
        {
            connection = await _dataSource.OpenConnectionAsync(CancellationToken.None);
            await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
            var session = new WriterSession(connection, transaction, _timeProvider);
            try
            {
                await batch.LockAsync(session);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                _logger.BatchFailed(exception, batch.Count);
                KefuMetrics.StoreErrors.Add(1);
                batch.FailAll(exception);
                return;
            }
            if (!await batch.ExecuteAllAsync(session))
            {
                return;
            }
            try
            {
                await session.StoreSeqsAsync();
                await session.CommitAsync();
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // Nothing of the batch is durable (or, if the connection broke during COMMIT, unknown): fail every op.
                _logger.CommitFailed(exception, batch.Count);
                KefuMetrics.StoreErrors.Add(1);
                batch.FailAll(exception);
                return;
            }
            KefuMetrics.CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
            KefuMetrics.CommitBatchSize.Record(batch.Count);
            batch.CompleteAll(_publish);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            _logger.BatchFailed(exception, batch.Count);
            KefuMetrics.StoreErrors.Add(1);
            batch.FailAll(exception);
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
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
