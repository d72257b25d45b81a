using Kefu.Core.Storage;

namespace Kefu.Adapters.Tests;

/// <summary>One instance of the adapter under test, seen through the two store ports.</summary>
public sealed class StoreUnderTest(IDirectoryStore directory, IConversationStore conversations, IAsyncDisposable lifetime) : IAsyncDisposable
{
    public IDirectoryStore Directory { get; } = directory;

    public IConversationStore Conversations { get; } = conversations;

    public ValueTask DisposeAsync() => lifetime.DisposeAsync();
}
