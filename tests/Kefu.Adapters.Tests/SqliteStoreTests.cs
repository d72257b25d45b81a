using Kefu.Core.Protocol;
using Kefu.Core.Storage;
using Kefu.Storage.Sqlite;
using Kefu.Storage.Sqlite.Migrations;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kefu.Adapters.Tests;

/// <summary>What only the SQLite adapter promises: its file, its migrations, its single writer's queue.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "kefu-tests", Guid.NewGuid().ToString("N"));

    public SqliteStoreTests() => Directory.CreateDirectory(_folder);

    private string DatabasePath => Path.Combine(_folder, "kefu.db");

    [Fact]
    public async Task Instances_migrating_a_new_file_at_once_apply_each_script_once_and_turn_on_wal()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => Open()).ToList();

        await Task.WhenAll(stores.Select(s => s.MigrateAsync(None))).Within();
        await stores[0].MigrateAsync(None).Within();

        using var connection = OpenRaw();
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode;"));
        Assert.Equal((long)SqliteMigrator.LoadScripts().Count, Scalar(connection, "SELECT COUNT(*) FROM schema_version;"));
        Assert.Equal(1L, Scalar(connection, "SELECT MIN(version) FROM schema_version;"));
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task Migrating_creates_the_database_folder()
    {
        var path = Path.Combine(_folder, "data", "nested", "kefu.db");
        await using var store = new SqliteStore(
            new SqliteStoreOptions { DatabasePath = path }, TimeProvider.System, new RecordingObserver(), NullLogger<SqliteStore>.Instance);

        await store.MigrateAsync(None).Within();

        Assert.True(File.Exists(path));
        Assert.True(await store.PingAsync(None).Within());
    }

    [Fact]
    public async Task A_locked_database_fails_the_batch_as_unavailable_and_the_next_batch_recovers()
    {
        await using var store = Open(busyTimeout: TimeSpan.FromMilliseconds(200));
        var conversation = await SeedConversationAsync(store);
        await store.AppendAsync(Text(conversation, "one"), None).Within();

        using (var locker = OpenRaw())
        {
            Execute(locker, "BEGIN IMMEDIATE;");
            await Assert.ThrowsAsync<StoreUnavailableException>(() => store.AppendAsync(Text(conversation, "locked-out"), None).Within());
            Execute(locker, "ROLLBACK;");
        }
        var after = await store.AppendAsync(Text(conversation, "two"), None).Within();
        var retry = await store.AppendAsync(Text(conversation, "locked-out"), None).Within();

        Assert.Equal(2, after.Message!.Seq);
        Assert.Equal(AppendOutcome.Appended, retry.Outcome);
        Assert.Equal(3, retry.Message!.Seq);
    }

    [Fact]
    public async Task A_write_cancelled_before_it_runs_stores_nothing_and_uses_no_seq()
    {
        using var observer = new RecordingObserver();
        await using var store = Open(observer);
        var conversation = await SeedConversationAsync(store);
        var held = observer.HoldNext();
        var first = store.AppendAsync(Text(conversation, "first"), None);
        await held.Within();

        using var cancellation = new CancellationTokenSource();
        var cancelled = store.AppendAsync(Text(conversation, "cancelled"), cancellation.Token);
        await cancellation.CancelAsync();
        observer.Release();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.Within());
        await first.Within();
        var next = await store.AppendAsync(Text(conversation, "next"), None).Within();

        Assert.Equal(2, next.Message!.Seq);
        Assert.Equal(2, (await store.ReadAfterAsync(conversation.Id, 0, 10, None).Within()).Count);
    }

    [Fact]
    public async Task Disposing_runs_the_writes_already_queued_and_refuses_later_ones()
    {
        var store = Open();
        var conversation = await SeedConversationAsync(store);

        var queued = Enumerable.Range(0, 100).Select(i => store.AppendAsync(Text(conversation, $"q-{i}"), None)).ToList();
        await store.DisposeAsync().AsTask().Within();

        Assert.All(await Task.WhenAll(queued).Within(), r => Assert.Equal(AppendOutcome.Appended, r.Outcome));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.AppendAsync(Text(conversation, "late"), None).Within());
        await using var reopened = Open();
        Assert.Equal(100, (await reopened.ReadAfterAsync(conversation.Id, 0, 1000, None).Within()).Count);
    }

    [Fact]
    public async Task Commits_reach_the_database_file_by_a_checkpoint_on_its_own_thread_not_in_a_commit()
    {
        await using var store = Open();
        var conversation = await SeedConversationAsync(store);
        var before = new FileInfo(DatabasePath).Length;
        var text = new string('x', 2000);

        // About 600 KiB of pages: far below the commit's own fallback threshold (64 MiB of log).
        await Task.WhenAll(Enumerable.Range(0, 300).Select(i => store.AppendAsync(
            Text(conversation, $"big-{i}") with { Text = text }, None))).Within();

        var deadline = DateTime.UtcNow + Bounded.Timeout;
        while (new FileInfo(DatabasePath).Length < before + (400 * 1024))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the database file stayed at {new FileInfo(DatabasePath).Length} bytes (was {before})");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Disposing_twice_is_harmless()
    {
        var store = Open();
        var conversation = await SeedConversationAsync(store);
        await store.AppendAsync(Text(conversation, "once"), None).Within();

        await store.DisposeAsync().AsTask().Within();
        await store.DisposeAsync().AsTask().Within();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private SqliteStore Open(IStoreObserver? observer = null, TimeSpan? busyTimeout = null)
    {
        var options = new SqliteStoreOptions { DatabasePath = DatabasePath };
        if (busyTimeout is { } timeout)
        {
            options.BusyTimeout = timeout;
        }
        return new SqliteStore(options, TimeProvider.System, observer ?? new RecordingObserver(), NullLogger<SqliteStore>.Instance);
    }

    private static async Task<Conversation> SeedConversationAsync(SqliteStore store)
    {
        await store.MigrateAsync(None).Within();
        var world = await store.BootstrapAsync(new BootstrapRequest("admin", "hash", "Admin", false, 5), None).Within();
        var visitor = await store.GetOrCreateVisitorAsync(
            new VisitorRegistration(world.Tenant.Id, world.Site.Id, null, null, null, null), DateTimeOffset.UtcNow, None).Within();
        var start = await store.StartConversationAsync(
            new StartConversation(world.Tenant.Id, world.Site.Id, visitor.Id, world.Team.Id, null), None).Within();
        return start.Conversation;
    }

    private static NewMessage Text(Conversation conversation, string clientMsgId)
        => new(conversation.Id, SenderTypes.Visitor, conversation.VisitorId, null, clientMsgId, MessageKinds.Text, "hi", null, null);

    private SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
