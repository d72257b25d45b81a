namespace Kefu.LoadGen.Worker;

/// <summary>What one connection has seen of one conversation: every seq it received or was acked.</summary>
internal sealed class ConversationTrack
{
    /// <summary>Highest seq received from the other side (own echoes excluded); the resume point.</summary>
    public long LastReceived { get; set; }

    public RangeSet Covered { get; } = new();

    /// <summary>The highest seq a sync was sent for, after a jump (one sync per jump, not one per later frame).</summary>
    public long HealRequestedTo { get; set; }
}
