namespace Kefu.Core.Storage;

/// <summary>
/// What a commit changed. The store hands changes to its <see cref="IStoreObserver"/> after the commit and
/// in commit order, so fan-out of one conversation never reorders.
/// </summary>
public abstract record StoreChange(Conversation Conversation);

public sealed record MessageAppended(Conversation Conversation, StoredMessage Message) : StoreChange(Conversation);

public sealed record ConversationUpdated(Conversation Conversation) : StoreChange(Conversation);

public sealed record ReceiptAdvanced(Conversation Conversation, string UserId, string Kind, long Seq) : StoreChange(Conversation);

/// <summary>Receives committed changes, on the store's commit path: implementations must not block.</summary>
public interface IStoreObserver
{
    void OnCommitted(StoreChange change);
}
