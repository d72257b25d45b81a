using Kefu.Core.Protocol;
using Kefu.Core.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.Adapters.Tests;

/// <summary>
/// What every store adapter must do. An adapter's test class derives from this and says how to open an
/// instance on the test's own, empty database; opening twice gives two instances on the same database
/// (two nodes). The parts of the specification live in the StoreSpecification.*.cs files.
/// </summary>
public abstract partial class StoreSpecification : IAsyncLifetime
{
    private readonly List<StoreUnderTest> _opened = [];

    protected RecordingObserver Observer { get; } = new();

    /// <summary>The time every instance of the store reads; tests move it on when order by time matters.</summary>
    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2025, 1, 1, 8, 0, 0, TimeSpan.Zero));

    protected StoreUnderTest Store { get; private set; } = null!;

    protected IDirectoryStore Directory => Store.Directory;

    protected IConversationStore Conversations => Store.Conversations;

    protected static CancellationToken None => CancellationToken.None;

    /// <summary>Opens another instance of the adapter on this test's database.</summary>
    protected abstract StoreUnderTest OpenStore(IStoreObserver observer, TimeProvider timeProvider);

    /// <summary>Removes this test's database after every instance is disposed.</summary>
    protected abstract ValueTask DropDatabaseAsync();

    /// <summary>Creates this test's empty database before the first instance opens; an adapter whose server is missing skips here.</summary>
    protected virtual Task CreateDatabaseAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        await CreateDatabaseAsync().Within();
        Store = Open(Observer);
        await Directory.MigrateAsync(None).Within();
    }

    public async Task DisposeAsync()
    {
        Observer.Release();
        foreach (var store in _opened)
        {
            await store.DisposeAsync().AsTask().Within();
        }
        Observer.Dispose();
        await DropDatabaseAsync().AsTask().Within();
    }

    protected StoreUnderTest Open(IStoreObserver observer)
    {
        var store = OpenStore(observer, Clock);
        _opened.Add(store);
        return store;
    }

    protected static BootstrapRequest AdminRequest(string username = "admin")
        => new(username, "hash-of-secret", "Administrator", AdminMustChangePassword: true, DefaultMaxConcurrent: 5);

    protected Task<BootstrapResult> BootstrapAsync() => Directory.BootstrapAsync(AdminRequest(), None).Within();

    protected async Task<Visitor> NewVisitorAsync(BootstrapResult world, string? externalId = null)
        => await Directory.GetOrCreateVisitorAsync(
            new VisitorRegistration(world.Tenant.Id, world.Site.Id, externalId, null, null, null),
            Clock.GetUtcNow(),
            None).Within();

    protected async Task<Conversation> NewConversationAsync(BootstrapResult world, string? clientConvId = null)
    {
        var visitor = await NewVisitorAsync(world);
        var start = await Conversations.StartConversationAsync(
            new StartConversation(world.Tenant.Id, world.Site.Id, visitor.Id, world.Team.Id, clientConvId),
            None).Within();
        return start.Conversation;
    }

    protected static NewMessage Text(Conversation conversation, string clientMsgId, string? senderId = null)
        => new(conversation.Id, SenderTypes.Visitor, senderId ?? conversation.VisitorId, null, clientMsgId, MessageKinds.Text, "hello " + clientMsgId, null, null);

    protected Task<AppendResult> AppendAsync(Conversation conversation, string clientMsgId, string? senderId = null)
        => Conversations.AppendAsync(Text(conversation, clientMsgId, senderId), None).Within();

    protected static void AssertGapless(IEnumerable<long> seqs, int count)
        => Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), seqs.Order());
}
