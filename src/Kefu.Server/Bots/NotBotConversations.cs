using System.Collections.Concurrent;

namespace Kefu.Server.Bots;

/// <summary>
/// Conversation ids this node has seen with people (queued or open), or without a bot session. Such a conversation
/// never goes back to the bot (only a closed one the bot served without a handoff may be reopened to it), so the
/// answer never goes stale, and the messages of people's conversations cost
/// the bot one lookup here instead of a store read each. Bounded: forgotten all at once when full.
/// </summary>
internal sealed class NotBotConversations
{
    private const int Capacity = 100_000;
    private readonly ConcurrentDictionary<string, byte> _ids = new(StringComparer.Ordinal);

    public bool Contains(string conversationId) => _ids.ContainsKey(conversationId);

    public void Add(string conversationId)
    {
        if (_ids.Count >= Capacity)
        {
            _ids.Clear();
        }
        _ids.TryAdd(conversationId, 0);
    }
}
