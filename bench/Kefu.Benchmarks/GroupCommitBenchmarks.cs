using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Kefu.Core.Storage;
using Kefu.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kefu.Benchmarks;

/// <summary>
/// Durable appends through <see cref="SqliteStore"/>'s group-committing writer: <see cref="Concurrent"/> appends in
/// flight at once (as many connections sending at the same moment), each awaited until committed. One operation
/// is one batch of <see cref="Concurrent"/> appends, so messages/s = Concurrent / mean time.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes the store in GlobalCleanup.")]
[SimpleJob(RunStrategy.Monitoring, iterationCount: 15, warmupCount: 3)]
[MemoryDiagnoser]
public class GroupCommitBenchmarks
{
    private string directory = "";
    private SqliteStore store = null!;
    private string[] conversations = [];
    private long counter;

    [Params(1, 64, 512)]
    public int Concurrent { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        directory = Directory.CreateTempSubdirectory("kefu-groupcommit-").FullName;
        store = new SqliteStore(new SqliteStoreOptions { DatabasePath = Path.Combine(directory, "kefu.db") }, TimeProvider.System, new NoObserver(), NullLogger<SqliteStore>.Instance);
        await store.MigrateAsync(CancellationToken.None);
        var boot = await store.BootstrapAsync(new BootstrapRequest("admin", "x", "Admin", false, 10), CancellationToken.None);
        conversations = new string[64];
        for (var i = 0; i < conversations.Length; i++)
        {
            var visitor = await store.GetOrCreateVisitorAsync(new VisitorRegistration(boot.Tenant.Id, boot.Site.Id, null, null, null, null), DateTimeOffset.UtcNow, CancellationToken.None);
            var start = await store.StartConversationAsync(new StartConversation(boot.Tenant.Id, boot.Site.Id, visitor.Id, boot.Team.Id, null), CancellationToken.None);
            conversations[i] = start.Conversation.Id;
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await store.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    [Benchmark]
    public async Task AppendConcurrently()
    {
        var appends = new Task<AppendResult>[Concurrent];
        for (var i = 0; i < appends.Length; i++)
        {
            var n = Interlocked.Increment(ref counter);
            var conversation = conversations[n % conversations.Length];
            appends[i] = store.AppendAsync(
                new NewMessage(conversation, "visitor", "v", null, $"c{n}", "text", "Hello, my order has not arrived yet.", null, null),
                CancellationToken.None);
        }

        await Task.WhenAll(appends);
    }

    private sealed class NoObserver : IStoreObserver
    {
        public void OnCommitted(StoreChange change)
        {
        }
    }
}
