namespace Kefu.Server.Bots;

/// <summary>
/// Runs work one item at a time per conversation, in the order it was queued, and different conversations in
/// parallel: a slow bot turn delays only the next turn of its own conversation.
/// </summary>
internal sealed class ConversationLanes
{
    private readonly Dictionary<string, Task> _tails = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Task Run(string conversationId, Func<Task> work)
    {
        Task next;
        lock (_lock)
        {
            var tail = _tails.GetValueOrDefault(conversationId) ?? Task.CompletedTask;
            next = tail.ContinueWith(_ => work(), CancellationToken.None, TaskContinuationOptions.DenyChildAttach, TaskScheduler.Default).Unwrap();
            _tails[conversationId] = next;
        }
        _ = next.ContinueWith(
            done =>
            {
                lock (_lock)
                {
                    if (_tails.TryGetValue(conversationId, out var current) && current == done)
                    {
                        _tails.Remove(conversationId);
                    }
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return next;
    }
}
