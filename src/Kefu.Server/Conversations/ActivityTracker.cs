using System.Collections.Concurrent;

namespace Kefu.Server.Conversations;

/// <summary>When each open conversation last had a visitor or agent message, and whether it was warned since.</summary>
internal sealed class ActivityTracker
{
    private readonly ConcurrentDictionary<string, (long LastMs, long WarnedMs)> _open = new(StringComparer.Ordinal);

    public void Touch(string conversationId, long nowMs) => _open[conversationId] = (nowMs, 0);

    /// <summary>Starts tracking a conversation not seen yet (found open at start, or just assigned).</summary>
    public void Seen(string conversationId, long nowMs) => _open.TryAdd(conversationId, (nowMs, 0));

    public void Warned(string conversationId, long nowMs) =>
        _open.AddOrUpdate(conversationId, (nowMs, nowMs), (_, e) => (e.LastMs, nowMs));

    /// <summary>Replaces what is known with what the store says (activity or a warning seen by another node).</summary>
    public void Set(string conversationId, long lastMs, long warnedMs)
    {
        if (_open.TryGetValue(conversationId, out var current))
        {
            _open.TryUpdate(conversationId, (lastMs, warnedMs), current);
        }
    }

    public void Forget(string conversationId) => _open.TryRemove(conversationId, out _);

    public IEnumerable<KeyValuePair<string, (long LastMs, long WarnedMs)>> Open => _open;
}
