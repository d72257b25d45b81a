namespace Kefu.Core.Routing;

/// <summary>A queued conversation's place: higher priority first, then arrival order.</summary>
internal readonly record struct QueueKey(int Priority, long Sequence, string ConversationId) : IComparable<QueueKey>
{
    public int CompareTo(QueueKey other)
    {
        var c = other.Priority.CompareTo(Priority);
        if (c != 0)
        {
            return c;
        }
        c = Sequence.CompareTo(other.Sequence);
        return c != 0 ? c : string.CompareOrdinal(ConversationId, other.ConversationId);
    }

    public static bool operator <(QueueKey left, QueueKey right) => left.CompareTo(right) < 0;

    public static bool operator >(QueueKey left, QueueKey right) => left.CompareTo(right) > 0;

    public static bool operator <=(QueueKey left, QueueKey right) => left.CompareTo(right) <= 0;

    public static bool operator >=(QueueKey left, QueueKey right) => left.CompareTo(right) >= 0;
}
