using Kefu.Core.Storage;

namespace Kefu.Adapters.Tests;

/// <summary>One instance of the adapter under test, seen through its store ports.</summary>
public sealed class StoreUnderTest(IDirectoryStore directory, IConversationStore conversations, IUploadStore uploads, IAsyncDisposable lifetime) : IAsyncDisposable
{
    public IDirectoryStore Directory { get; } = directory;

    public IConversationStore Conversations { get; } = conversations;

    public IUploadStore Uploads { get; } = uploads;

    public ValueTask DisposeAsync() => lifetime.DisposeAsync();
}
